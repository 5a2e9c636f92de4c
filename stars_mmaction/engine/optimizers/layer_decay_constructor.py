"""Layer-wise lr decay of the encoder's trainable layers (STARS stage 2)."""
import inspect
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
PARAMWISE_KEYS = ('layer_decay_rate', 'bias_decay_mult', 'norm_decay_mult',
                  'flat_decay_mult', 'custom_keys')
BACKBONE_PREFIX = 'backbone.'


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class LayerDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """Layer-wise lr decay of ``model.backbone``'s trainable parameters.

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
    - ``bias_decay_mult``, ``norm_decay_mult``, ``flat_decay_mult``
      (``flat`` = every 1-D parameter), ``custom_keys`` (``{substring:
      dict(lr_mult=..., decay_mult=...)}``, the longest matching key wins):
      as in mmpretrain, applied when the optimizer has a ``weight_decay``.

    Partial tuning is the model's: the encoder freezes its untuned layers
    when it is built (``MAMPEncoder(tune_ratio=...)``), before mmengine's
    runner wraps the model in DDP, so DDP never registers them. This
    constructor leaves every parameter with ``requires_grad=False`` out of
    the optimizer and never changes ``requires_grad``. ``tune_ratio`` in
    ``paramwise_cfg`` is refused with the key to set instead. Every param
    group holds one parameter and records ``lr``, ``lr_scale``,
    ``layer_id``, ``param_name`` (and ``weight_decay`` when the optimizer
    sets one).
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None) -> None:
        super().__init__(optim_wrapper_cfg, paramwise_cfg)
        if 'tune_ratio' in self.paramwise_cfg:
            raise ValueError(
                'paramwise_cfg.tune_ratio is not read by LayerDecayOptimWrap'
                'perConstructor: the encoder freezes its untuned blocks '
                'before DDP wraps the model; set model.backbone.tune_ratio='
                f'{self.paramwise_cfg["tune_ratio"]!r} instead')
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
        ``module``; frozen parameters (``requires_grad=False``) are left
        out."""
        logger = MMLogger.get_current_instance()
        layer_of, num_layers, depth = self._layer_fn(module)
        sorted_keys = sorted(sorted(self.paramwise_cfg.get('custom_keys', {})),
                             key=len,
                             reverse=True)

        frozen = []
        for mod_name, mod in module.named_modules():
            prefix = f'{mod_name}.' if mod_name else ''
            for name, param in mod.named_parameters(recurse=False):
                param_name = prefix + name
                if not param.requires_grad:
                    frozen.append(param_name)
                    continue
                layer_id = layer_of(param_name)
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
            f'layer_decay_rate {self.decay_rate}; {len(params)} tensors '
            f'({n_params} values) tuned, {len(frozen)} frozen tensors (by '
            'the model) left out')

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
