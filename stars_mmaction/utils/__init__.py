from .launch import enable_amp, select_dist_backend

__all__ = ['enable_amp', 'select_dist_backend']
