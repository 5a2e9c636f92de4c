# Ablation (supplementary Table 9): effective batch size 64 = 4 GPUs x
# 16 (the number of negatives of the NNCLR loss); the reference is
# 4 x 32 = 128 (configs/stars/stars_4xb32-10e_ntu60-xsub-keypoint-3d.py).
# The learning rate is kept at 1e-3.
# bash tools/dist_train.sh configs/stars/ablations/stars-bs64_4xb16-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
train_dataloader = dict(batch_size=16)
