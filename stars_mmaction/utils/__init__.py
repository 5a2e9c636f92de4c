from .launch import (enable_amp, prepare_cpu_distributed, select_dist_backend,
                     teardown_distributed)

__all__ = [
    'enable_amp', 'prepare_cpu_distributed', 'select_dist_backend',
    'teardown_distributed'
]
