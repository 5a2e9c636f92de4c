from .metrics import read_test_metric, read_train_metric
from .report import collect_results, describe_mode, plot, write_table
from .steps import Step, evaluation_steps, run_step, tuning_steps
from .sweep import Evaluation, Sweep, load_sweep

__all__ = [
    'Evaluation', 'Step', 'Sweep', 'collect_results', 'describe_mode',
    'evaluation_steps', 'load_sweep', 'plot', 'read_test_metric',
    'read_train_metric', 'run_step', 'tuning_steps', 'write_table'
]
