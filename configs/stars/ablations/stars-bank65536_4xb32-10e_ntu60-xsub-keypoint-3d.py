# Ablation (main-paper queue-size study): NNCLR memory bank of 65536 entries
# (reference: 32,768).
# bash tools/dist_train.sh configs/stars/ablations/stars-bank65536_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
model = dict(contrastive_head=dict(bank_size=65536))
