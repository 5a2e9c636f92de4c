# Ablation sweep (ablation plan): duration of STARS tuning, 5/10/20/40/80
# epochs. The learning rate is constant (the reference schedule), so the
# checkpoint after epoch e of ONE 80-epoch run is an e-epoch run: the sweep
# trains 80 epochs, not 155, saving at epochs 5, 10, 20, 40 and 80
# (MilestoneCheckpointHook). Same metrics as the tune-ratio sweep.
# python tools/ablate.py configs/stars/sweeps/stars_tune-epochs_ntu60-xsub-keypoint-3d.py --launcher pytorch --gpus 4
_base_ = ['./stars_tune-ratio_ntu60-xsub-keypoint-3d.py']

sweep = dict(
    name='tune-epochs',
    key='train_cfg.max_epochs',
    values=[5, 10, 20, 40, 80],
    mode='checkpoints',
    xscale='log',
    work_dir='work_dirs/sweeps/ntu60-xsub_tune-epochs')
