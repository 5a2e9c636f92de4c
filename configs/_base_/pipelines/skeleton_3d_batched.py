# The loader half of the batched data path (README, "Batched augmentation
# (GPU data path)"): pre-normalise as the per-sample pipelines do
# (FastPreNormalize3D: PreNormalize3D's output, vectorised), pad every
# sequence with zeros to max_frames and keep its valid-frame count and
# augmentation key. The crop, resize, rotation, mirror and views run batched
# on the model's device in SkeletonAugDataPreprocessor (model.
# data_preprocessor of the *-batched-* configs).
max_frames = 300  # NTU RGB+D's longest sequence; longer samples are refused
batched_train_pipeline = [
    dict(type='FastPreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='PadRawSkeleton', max_frames=max_frames),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs',
         meta_keys=('frame_dir', 'sample_idx', 'valid_len', 'aug_key'))
]
# Data converted from CTR-GCN/MAMP .npz files is already translated: no
# pre-normalisation, as the npz_* per-sample pipelines.
npz_batched_train_pipeline = batched_train_pipeline[1:]
