# The tune-epochs sweep on the embedded demo data set: epochs scaled by 1/5
# (1, 2, 4, 8, 16 for NTU-60's 5, 10, 20, 40, 80), read off ONE 16-epoch run
# at constant lr that saves at those epochs. Evaluations as in the demo
# tune-ratio sweep (linear evaluation 4 epochs), sharing its stage-1 baseline.
# python tools/ablate.py configs/stars/sweeps/stars_tune-epochs_demo-xsub-keypoint-3d.py
_base_ = ['./stars_tune-ratio_demo-xsub-keypoint-3d.py']

sweep = dict(
    name='tune-epochs',
    key='train_cfg.max_epochs',
    values=[1, 2, 4, 8, 16],
    mode='checkpoints',
    xscale='log',
    work_dir='work_dirs/sweeps/demo-xsub_tune-epochs',
    note='Demo scaling: epochs x 1/5 (1/2/4/8/16 for 5/10/20/40/80), one '
    '16-epoch run; linear evaluation 4 epochs (NTU-60: 100); few-shot on '
    'demo classes 6..11.')
