# Runtime of every stars_mmaction config: mmaction2's, plus the plugin's run
# lifecycle, which holds wherever the Runner is built (our tools, mmaction2's
# stock tools/train.py and tools/test.py, mim, Runner.from_cfg): checkpoints
# loaded with weights_only=True, the resume fallback and key checks, the
# configured lr on resume, atomic checkpoint saves (RunLifecycleHook), and a
# gloo process group on CPU-only machines (STARSRunner).
_base_ = ['mmaction::_base_/default_runtime.py']
custom_imports = dict(imports=['stars_mmaction'], allow_failed_imports=False)

runner_type = 'STARSRunner'
default_hooks = dict(run_lifecycle=dict(type='RunLifecycleHook'))
# Checkpoint files that may be loaded with full unpickling
# (torch.load(weights_only=False)), which can run code stored in the file:
# only for files you trust, e.g. --cfg-options "trusted_checkpoints=['x.pth']"
# or tools/train.py / tools/test.py --trust-checkpoint x.pth.
trusted_checkpoints = []
