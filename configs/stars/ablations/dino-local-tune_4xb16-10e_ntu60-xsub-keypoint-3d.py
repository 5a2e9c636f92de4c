# Ablation (supplementary Table 3): DINO tuning with two local views, each
# a random 40-80% window of a global view resized to 120 frames, seen by the
# student only. As in the paper, the batch drops to 16 (per GPU here).
# bash tools/dist_train.sh configs/stars/ablations/dino-local-tune_4xb16-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['./dino-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py']
model = dict(num_local_views=2, local_crop_ratio=(0.4, 0.8))
train_dataloader = dict(batch_size=16)
