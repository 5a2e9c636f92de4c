# Ablation (supplementary Table 9): effective batch size 32 = 4 GPUs x
# 8 (the number of negatives of the NNCLR loss); the reference is
# 4 x 32 = 128 (configs/stars/stars_4xb32-10e_ntu60-xsub-keypoint-3d.py).
# The learning rate is kept at 1e-3.
# bash tools/dist_train.sh configs/stars/ablations/stars-bs32_4xb8-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
train_dataloader = dict(batch_size=8)
