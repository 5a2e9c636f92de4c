from .launch import enable_amp, prepare_cpu_distributed, select_dist_backend

__all__ = ['enable_amp', 'prepare_cpu_distributed', 'select_dist_backend']
