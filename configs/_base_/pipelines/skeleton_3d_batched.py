# The loader half of the batched data path (README, "Batched augmentation
# (GPU data path)"): every raw sequence is padded with zeros to max_frames,
# with its valid-frame count and augmentation key. Pre-normalisation
# (PreNormalize3D's centring), the crop, resize, rotation, mirror and views
# run batched on the model's device in SkeletonAugDataPreprocessor (model.
# data_preprocessor of the *-batched-* configs, pre_normalize=True; set it
# to False for data converted from CTR-GCN/MAMP .npz files, which the npz_*
# per-sample pipelines do not pre-normalise either).
max_frames = 300  # NTU RGB+D's longest sequence; longer samples are refused
batched_train_pipeline = [
    dict(type='PadRawSkeleton', max_frames=max_frames),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs',
         meta_keys=('frame_dir', 'sample_idx', 'valid_len', 'aug_key'))
]
