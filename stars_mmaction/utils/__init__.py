from .launch import (enable_amp, prepare_cpu_distributed, select_dist_backend,
                     teardown_distributed)
from .scalar_logs import ScalarLog, read_scalar_log, timestamp_dirs

__all__ = [
    'enable_amp', 'prepare_cpu_distributed', 'select_dist_backend',
    'teardown_distributed', 'ScalarLog', 'read_scalar_log', 'timestamp_dirs'
]
