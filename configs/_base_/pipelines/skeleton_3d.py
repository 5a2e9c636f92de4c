# Skeleton pipelines of the reference (design notes section 1): translate by
# the spine joint of person 0 in the first frame, crop the valid frames and
# resize them to 120 frames; training adds a random rotation. The first three
# (PreNormalize3D) fit mmaction2's own NTU pickles and tools/data/
# ntu_skeleton_to_pkl.py's output (camera coordinates); the npz_* ones at the
# end fit data converted from CTR-GCN/MAMP .npz files.
clip_len = 120
normalize = dict(type='PreNormalize3D', align_spine=False, align_shoulder=False)
# Training crop [0.5, 1] + rotation: MAMP pre-training and linear evaluation.
train_pipeline = [
    normalize,
    dict(type='ValidFrameCropResize', clip_len=clip_len, p_interval=(0.5, 1)),
    dict(type='RandomSkeletonRotation', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
# Centre crop 0.95: evaluation, and STARS tuning (which uses no augmentation).
test_pipeline = [
    normalize,
    dict(type='ValidFrameCropResize', clip_len=clip_len, p_interval=(0.95, )),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
# STARS tuning (reference setting): no augmentation, the whole valid sequence
# resized. Both views would be identical, so the pipeline yields one clip and
# the contrastive head computes the symmetric loss from it once.
tune_pipeline = [
    normalize,
    dict(type='ValidFrameCropResize', clip_len=clip_len, p_interval=(1.0, )),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
# Data converted from CTR-GCN/MAMP .npz files (tools/data/ctrgcn_npz_to_pkl.py)
# was translated offline by the reference's seq_transformation; its feeders
# only count the non-zero frames, crop and resize. These pipelines do exactly
# that: no PreNormalize3D, which would drop the frames where person 0 is
# absent, swap the persons and re-centre.
npz_train_pipeline = [t for t in train_pipeline if t is not normalize]
npz_test_pipeline = [t for t in test_pipeline if t is not normalize]
npz_tune_pipeline = [t for t in tune_pipeline if t is not normalize]
