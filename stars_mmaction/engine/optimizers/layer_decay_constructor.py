"""Layer-wise lr decay with partial tuning of the encoder (STARS stage 2)."""
import inspect
import math
from collections import defaultdict
from typing import Callable, Dict, List, Optional, Tuple

import torch.nn as nn
from mmaction.registry import OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.logging import MMLogger
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper
from mmengine.registry import OPTIM_WRAPPERS, OPTIMIZERS
from mmengine.utils.dl_utils.parrots_wrapper import _BatchNorm, _InstanceNorm

NORM_TYPES = (_BatchNorm, _InstanceNorm, nn.GroupNorm, nn.LayerNorm)
PARAMWISE_KEYS = ('layer_decay_rate', 'tune_ratio', 'bias_decay_mult',
                  'norm_decay_mult', 'flat_decay_mult', 'custom_keys')
BACKBONE_PREFIX = 'backbone.'


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class LayerDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """Layer-wise lr decay and partial tuning of ``model.backbone``.

    Follows mmpretrain's ``LearningRateDecayOptimWrapperConstructor``: the
    backbone implements ``get_layer_depth(param_name, prefix)`` returning
    ``(layer_id, num_layers)`` with the embeddings at layer 0, block ``i`` at
    ``i + 1`` and the final norm at ``depth + 1 = num_layers - 1``; every
    parameter outside ``backbone.`` (the heads) is at ``num_layers - 1``.
    A parameter's lr is ``base_lr * alpha ** (num_layers - 1 - layer_id)``:
    block ``i`` of a depth-8 encoder gets ``base_lr * alpha ** (8 - i)``,
    the final norm and the heads ``base_lr``. Unlike mmaction2's
    ``LearningRateDecayOptimizerConstructor`` it accepts any model, BatchNorm
    included.

    ``paramwise_cfg`` keys:

    - ``layer_decay_rate`` (alpha, in (0, 1], default 1.0).
    - ``tune_ratio`` (in [0, 1], default 1.0): proportion of encoder blocks
      tuned. ``n = floor(depth * tune_ratio + 0.5)`` (round half up; a
      warning is logged when ``depth * tune_ratio`` is not an integer).
      Block ``i`` is tuned iff ``i >= depth - n``; the final norm iff
      ``n > 0``; the embeddings (layer 0) only when ``n == depth``.
      ``tune_ratio=0`` freezes the whole encoder (only the heads train),
      ``0.5`` is the reference "second half". Parameters outside the
      backbone are always tuned.
    - ``bias_decay_mult``, ``norm_decay_mult``, ``flat_decay_mult``
      (``flat`` = every 1-D parameter), ``custom_keys`` (``{substring:
      dict(lr_mult=..., decay_mult=...)}``, the longest matching key wins):
      as in mmpretrain, applied when the optimizer has a ``weight_decay``.

    Frozen parameters are left out of the optimizer and get
    ``requires_grad=False``, so no gradient is computed for them; parameters
    that already have ``requires_grad=False`` are skipped. Every param group
    holds one parameter and records ``lr``, ``lr_scale``, ``layer_id``,
    ``param_name`` (and ``weight_decay`` when the optimizer sets one).

    Note:
        mmengine's runner wraps the model in DDP before it builds the
        optimizer, so under DDP the parameters frozen here were registered
        as trainable: set ``find_unused_parameters=True`` in the config.
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None) -> None:
        super().__init__(optim_wrapper_cfg, paramwise_cfg)
        unknown = set(self.paramwise_cfg) - set(PARAMWISE_KEYS)
        if unknown:
            raise ValueError(
                f'paramwise_cfg of LayerDecayOptimWrapperConstructor got '
                f'unknown keys {sorted(unknown)}; supported: {PARAMWISE_KEYS}')
        self.decay_rate = self.paramwise_cfg.get('layer_decay_rate', 1.0)
        if not isinstance(self.decay_rate, (int, float)) or \
                not 0 < self.decay_rate <= 1:
            raise ValueError('paramwise_cfg.layer_decay_rate must be in '
                             f'(0, 1], got {self.decay_rate!r}')
        self.tune_ratio = self.paramwise_cfg.get('tune_ratio', 1.0)
        if not isinstance(self.tune_ratio, (int, float)) or \
                not 0 <= self.tune_ratio <= 1:
            raise ValueError('paramwise_cfg.tune_ratio must be in [0, 1], '
                             f'got {self.tune_ratio!r}')
        if self.base_lr is None:
            raise ValueError('the optimizer config must set `lr` for '
                             'LayerDecayOptimWrapperConstructor')

    # ------------------------------------------------------------------
    def _layer_fn(self,
                  model: nn.Module) -> Tuple[Callable[[str], int], int, int]:
        """Return ``layer_of(name)``, ``num_layers`` and ``depth``."""
        backbone = getattr(model, 'backbone', None)
        get_depth = getattr(backbone, 'get_layer_depth', None)
        if not callable(get_depth):
            raise ValueError(
                'LayerDecayOptimWrapperConstructor needs `model.backbone.'
                'get_layer_depth(param_name, prefix)`; model '
                f'{type(model).__name__} has backbone '
                f'{type(backbone).__name__}')
        names = [BACKBONE_PREFIX + n for n, _ in backbone.named_parameters()]
        if not names:
            raise ValueError('model.backbone has no parameters')
        num_layers = get_depth(names[0], BACKBONE_PREFIX)[1]
        depth = num_layers - 2
        if depth < 1:
            raise ValueError(f'get_layer_depth gives num_layers={num_layers}'
                             '; expected depth + 2 with depth >= 1')

        def layer_of(name: str) -> int:
            if name.startswith(BACKBONE_PREFIX):
                return get_depth(name, BACKBONE_PREFIX)[0]
            return num_layers - 1

        return layer_of, num_layers, depth

    def num_tuned_blocks(self, depth: int) -> int:
        """Number of tuned encoder blocks for ``tune_ratio`` and ``depth``."""
        exact = depth * self.tune_ratio
        n = int(math.floor(exact + 0.5))
        if abs(exact - n) > 1e-6:
            MMLogger.get_current_instance().warning(
                f'tune_ratio={self.tune_ratio} x depth {depth} = {exact:g} '
                f'blocks; rounded to {n}')
        return n

    def _weight_decay(
            self, module: nn.Module, name: str, param_name: str,
            param: nn.Parameter,
            sorted_keys: List[str]) -> Tuple[Optional[float], float, Dict]:
        """(weight decay or None, lr_mult, extra group keys) as mmpretrain."""
        custom_keys = self.paramwise_cfg.get('custom_keys', {})
        key = next((k for k in sorted_keys if k in param_name), None)
        extra: Dict = {}
        lr_mult = 1.
        decay_mult = 1.
        if key is not None:
            extra = dict(custom_keys[key])
            lr_mult = extra.pop('lr_mult', 1.)
            decay_mult = extra.pop('decay_mult', 1.)
        if self.base_wd is None:
            return None, lr_mult, extra
        cfg = self.paramwise_cfg
        if key is not None:
            wd = self.base_wd * decay_mult
        elif isinstance(module, NORM_TYPES) and \
                cfg.get('norm_decay_mult') is not None:
            wd = self.base_wd * cfg['norm_decay_mult']
        elif name == 'bias' and cfg.get('bias_decay_mult') is not None:
            wd = self.base_wd * cfg['bias_decay_mult']
        elif param.ndim == 1 and cfg.get('flat_decay_mult') is not None:
            wd = self.base_wd * cfg['flat_decay_mult']
        else:
            wd = self.base_wd
        return wd, lr_mult, extra

    def add_params(self, params: List[dict], module: nn.Module,
                   **kwargs) -> None:
        """Fill ``params`` with one group per trainable parameter of
        ``module`` and set ``requires_grad=False`` on the frozen ones."""
        logger = MMLogger.get_current_instance()
        layer_of, num_layers, depth = self._layer_fn(module)
        n_tuned = self.num_tuned_blocks(depth)
        sorted_keys = sorted(sorted(self.paramwise_cfg.get('custom_keys', {})),
                             key=len,
                             reverse=True)

        def is_tuned(param_name: str, layer_id: int) -> bool:
            if not param_name.startswith(BACKBONE_PREFIX) or n_tuned == depth:
                return True
            return n_tuned > 0 and layer_id >= depth + 1 - n_tuned

        frozen, skipped = [], []
        for mod_name, mod in module.named_modules():
            prefix = f'{mod_name}.' if mod_name else ''
            for name, param in mod.named_parameters(recurse=False):
                param_name = prefix + name
                if not param.requires_grad:
                    skipped.append(param_name)
                    continue
                layer_id = layer_of(param_name)
                if not is_tuned(param_name, layer_id):
                    param.requires_grad_(False)
                    frozen.append(param_name)
                    continue
                wd, lr_mult, extra = self._weight_decay(
                    mod, name, param_name, param, sorted_keys)
                scale = self.decay_rate**(num_layers - 1 - layer_id)
                group = dict(params=[param],
                             lr=self.base_lr * scale * lr_mult,
                             lr_scale=scale,
                             layer_id=layer_id,
                             param_name=param_name)
                if wd is not None:
                    group['weight_decay'] = wd
                group.update(extra)
                params.append(group)

        by_layer = defaultdict(list)
        for g in params:
            by_layer[g['layer_id']].append(g)
        for layer_id in sorted(by_layer):
            msg = [f'layer {layer_id} params:']
            for g in by_layer[layer_id]:
                wd = g.get('weight_decay')
                msg.append(f'\t{g["param_name"]}: lr={g["lr"]:.3g}' +
                           ('' if wd is None else f', weight_decay={wd:.3g}'))
            logger.debug('\n'.join(msg))
        n_params = sum(p.numel() for g in params for p in g['params'])
        logger.info(
            f'LayerDecayOptimWrapperConstructor: depth {depth}, '
            f'layer_decay_rate {self.decay_rate}, tune_ratio '
            f'{self.tune_ratio} -> {n_tuned} blocks tuned; {len(params)} '
            f'tensors ({n_params} values) tuned, {len(frozen)} tensors frozen'
            + (f', {len(skipped)} already frozen tensors skipped'
               if skipped else ''))

    def __call__(self, model: nn.Module) -> OptimWrapper:
        if is_model_wrapper(model):
            model = model.module
        optim_wrapper_cfg = self.optim_wrapper_cfg.copy()
        optim_wrapper_cfg.setdefault('type', 'OptimWrapper')
        optimizer_cfg = self.optimizer_cfg.copy()
        optimizer_cls = optimizer_cfg['type']
        if isinstance(optimizer_cls, str):
            with OPTIMIZERS.switch_scope_and_registry(None) as registry:
                optimizer_cls = registry.get(optimizer_cfg['type'])
        first_arg = next(iter(inspect.signature(optimizer_cls).parameters))
        params: List[dict] = []
        self.add_params(params, model)
        if not params:
            raise ValueError('LayerDecayOptimWrapperConstructor: no '
                             'parameter left to train')
        optimizer_cfg[first_arg] = params
        optimizer = OPTIMIZERS.build(optimizer_cfg)
        return OPTIM_WRAPPERS.build(optim_wrapper_cfg,
                                    default_args=dict(optimizer=optimizer))
