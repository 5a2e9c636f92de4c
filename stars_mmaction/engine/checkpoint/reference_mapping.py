"""Key mapping between the published MAMP / STARS checkpoints and ours.

The reference code names its parameters like our modules do, so importing a
published checkpoint is a plain renaming of key prefixes. The only value
changes are in the NNCLR queue of STARS: the reference stores it as
(dim, K) with a (1, ) pointer, our :class:`NNMemoryBank` as (K, dim) with a
scalar pointer, and the bank's ``label`` buffer (a diagnostic) has no
reference counterpart: it is filled with -1 (unknown) on import.
"""
from collections import OrderedDict
from typing import (Callable, Dict, List, Mapping, NamedTuple, Optional,
                    Sequence, Tuple)

import torch
from torch import Tensor

REFERENCE_KINDS = ('mamp', 'stars')
ENCODER_NAMES = ('joints_embed', 'pos_embed', 'temp_embed', 'blocks', 'norm')
DECODER_NAMES = ('decoder_embed', 'mask_token', 'decoder_pos_embed',
                 'decoder_temp_embed', 'decoder_blocks', 'decoder_norm',
                 'decoder_pred')
STARS_ENCODER = 'encoder_student.'
BANK = 'contrastive_head.memory_bank.'


ValueFn = Callable[[Tensor], Tensor]
# (from prefix, to prefix, value change or None)
RenameRule = Tuple[str, str, Optional[ValueFn]]


class CheckpointMappingError(ValueError):
    """A checkpoint does not map onto the target model."""


class KeyRule(NamedTuple):
    """Renames one reference parameter or module prefix to ours.

    A rule matches a key equal to ``reference`` or starting with
    ``reference + '.'``; the rest of the key is kept.

    Args:
        reference (str): Name in the reference checkpoint.
        ours (str): Name in our ``state_dict``.
        to_ours (callable, optional): Value change on import.
        to_reference (callable, optional): Its inverse.
    """
    reference: str
    ours: str
    to_ours: Optional[ValueFn] = None
    to_reference: Optional[ValueFn] = None


def _transpose(x: Tensor) -> Tensor:
    return x.t().contiguous()


def _to_scalar(x: Tensor) -> Tensor:
    if x.numel() != 1:
        raise CheckpointMappingError(
            f'queue_ptr must hold one value, got shape {tuple(x.shape)}')
    return x.reshape(())


def _to_vector(x: Tensor) -> Tensor:
    return x.reshape(1)


MAMP_RULES: Tuple[KeyRule, ...] = tuple(
    [KeyRule(n, 'backbone.' + n) for n in ENCODER_NAMES] +
    [KeyRule(n, 'mamp_head.decoder.' + n) for n in DECODER_NAMES])

STARS_RULES: Tuple[KeyRule, ...] = tuple(
    [KeyRule(STARS_ENCODER + n, 'backbone.' + n) for n in ENCODER_NAMES] + [
        KeyRule(STARS_ENCODER + 'head.projector',
                'contrastive_head.projector'),
        KeyRule(STARS_ENCODER + 'head.predictor',
                'contrastive_head.predictor'),
        KeyRule('queue', BANK + 'bank', _transpose, _transpose),
        KeyRule('queue_ptr', BANK + 'ptr', _to_scalar, _to_vector),
        KeyRule('queue_id', BANK + 'sample_idx'),
    ])

RULES: Dict[str, Tuple[KeyRule, ...]] = dict(mamp=MAMP_RULES,
                                             stars=STARS_RULES)


def _unknown_labels(converted: Mapping[str, Tensor]) -> Tensor:
    return torch.full_like(converted[BANK + 'sample_idx'], -1)


# Keys of ours with no reference counterpart, derived from converted ones.
DERIVED: Dict[str, Dict[str, Callable[[Mapping[str, Tensor]], Tensor]]] = \
    dict(mamp={}, stars={BANK + 'label': _unknown_labels})


def _check_kind(kind: str) -> None:
    if kind not in REFERENCE_KINDS:
        raise CheckpointMappingError(
            f'unknown checkpoint kind {kind!r}; expected one of '
            f'{REFERENCE_KINDS}')


def _match(key: str, name: str) -> bool:
    return key == name or key.startswith(name + '.')


def _rename(state_dict: Mapping[str, Tensor], rules: Sequence[RenameRule],
            source: str) -> 'OrderedDict[str, Tensor]':
    """Apply ``(from, to, value_fn)`` rules; list the keys none matches."""
    out: 'OrderedDict[str, Tensor]' = OrderedDict()
    unknown: List[str] = []
    for key, value in state_dict.items():
        rule = next((r for r in rules if _match(key, r[0])), None)
        if rule is None:
            unknown.append(key)
            continue
        old, new, value_fn = rule
        out[new + key[len(old):]] = value_fn(value) if value_fn else value
    if unknown:
        raise CheckpointMappingError(
            f'{len(unknown)} unknown key(s) in the {source} checkpoint: '
            f'{unknown}; known names start with '
            f'{sorted({r[0] for r in rules})}')
    return out


def detect_kind(state_dict: Mapping[str, Tensor]) -> str:
    """Tell a STARS stage-2 state dict from a MAMP pre-training one.

    Args:
        state_dict (Mapping[str, Tensor]): Reference parameters.

    Returns:
        str: ``'stars'`` when a key starts with ``encoder_student.`` or is a
        queue buffer, ``'mamp'`` when a key is a MAMP encoder name.
    """
    keys = list(state_dict)
    if any(k.startswith(STARS_ENCODER) or k.startswith('queue')
           for k in keys):
        return 'stars'
    if any(_match(k, n) for k in keys for n in ENCODER_NAMES):
        return 'mamp'
    raise CheckpointMappingError(
        'cannot tell the checkpoint kind: no key starts with '
        f'{STARS_ENCODER!r} (STARS) or with one of {ENCODER_NAMES} (MAMP); '
        f'first keys: {keys[:5]}')


def unwrap_reference_checkpoint(checkpoint: Mapping) -> Dict[str, Tensor]:
    """The flat state dict inside a published checkpoint.

    MAMP saves ``{'model': state_dict, 'optimizer': ..., ...}``; STARS saves
    the flat state dict. A ``'state_dict'`` wrapper and DDP's ``module.``
    prefixes are removed too.

    Args:
        checkpoint (Mapping): What ``torch.load`` returned.

    Returns:
        dict[str, Tensor]: Reference key -> tensor.
    """
    if not isinstance(checkpoint, Mapping):
        raise CheckpointMappingError(
            f'expected a dict checkpoint, got {type(checkpoint).__name__}')
    for wrapper in ('model', 'state_dict'):
        if isinstance(checkpoint.get(wrapper), Mapping):
            checkpoint = checkpoint[wrapper]
            break
    not_tensors = [k for k, v in checkpoint.items()
                   if not isinstance(v, Tensor)]
    if not_tensors:
        raise CheckpointMappingError(
            'expected a state dict of tensors (or one under "model" / '
            f'"state_dict"), got non-tensor entries {not_tensors[:10]}')
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in checkpoint.items())


def reference_to_ours(state_dict: Mapping[str, Tensor],
                      kind: str) -> 'OrderedDict[str, Tensor]':
    """Rename a reference state dict to our ``STARSRecognizer`` keys.

    Args:
        state_dict (Mapping[str, Tensor]): Reference key -> tensor.
        kind (str): ``'mamp'`` or ``'stars'``.

    Returns:
        OrderedDict[str, Tensor]: Our key -> tensor, derived keys included.

    Raises:
        CheckpointMappingError: Listing the keys that no rule knows.
    """
    _check_kind(kind)
    rules = [(r.reference, r.ours, r.to_ours) for r in RULES[kind]]
    out = _rename(state_dict, rules, f'reference {kind.upper()}')
    for key, derive in DERIVED[kind].items():
        if key not in out:
            try:
                out[key] = derive(out)
            except KeyError as err:
                raise CheckpointMappingError(
                    f'cannot derive {key!r}: the checkpoint lacks the '
                    f'reference counterpart of {err}') from None
    return out


def ours_to_reference(state_dict: Mapping[str, Tensor],
                      kind: str) -> 'OrderedDict[str, Tensor]':
    """Rename our keys back to the reference's (the inverse mapping).

    Derived keys without a reference counterpart are dropped.

    Args:
        state_dict (Mapping[str, Tensor]): Our key -> tensor.
        kind (str): ``'mamp'`` or ``'stars'``.

    Returns:
        OrderedDict[str, Tensor]: Reference key -> tensor.
    """
    _check_kind(kind)
    kept = {k: v for k, v in state_dict.items() if k not in DERIVED[kind]}
    rules = [(r.ours, r.reference, r.to_reference) for r in RULES[kind]]
    return _rename(kept, rules, f'our {kind.upper()}')


def check_against_model(converted: Mapping[str, Tensor],
                        target: Mapping[str, Tensor],
                        reference_names: Optional[Mapping[str, str]] = None
                        ) -> None:
    """Refuse a converted state dict that ``target`` would not load exactly.

    Args:
        converted (Mapping[str, Tensor]): Converted key -> tensor.
        target (Mapping[str, Tensor]): The target model's ``state_dict()``.
        reference_names (Mapping[str, str], optional): Our key -> reference
            key, to name both in errors. Defaults to None.

    Raises:
        CheckpointMappingError: Listing the missing keys, the unexpected
            keys and the keys whose shapes differ.
    """
    names = reference_names or {}
    missing = [k for k in target if k not in converted]
    unexpected = [k for k in converted if k not in target]
    wrong_shape = [
        f'{k}' + (f' (reference {names[k]})' if k in names else '') +
        f': checkpoint {tuple(converted[k].shape)}, model '
        f'{tuple(target[k].shape)}' for k in converted
        if k in target and converted[k].shape != target[k].shape
    ]
    problems = []
    if wrong_shape:
        problems.append('shape mismatch for ' + '; '.join(wrong_shape))
    if missing:
        problems.append(f'missing keys {missing}')
    if unexpected:
        problems.append(f'unexpected keys {unexpected}')
    if problems:
        raise CheckpointMappingError(
            'the converted checkpoint does not match the target model: ' +
            ' | '.join(problems) +
            ' (does the target config have the sizes of the checkpoint?)')


def reference_names_of(state_dict: Mapping[str, Tensor],
                       kind: str) -> Dict[str, str]:
    """Our key -> reference key for every key of a reference state dict."""
    _check_kind(kind)
    names = {}
    for key in state_dict:
        rule = next((r for r in RULES[kind] if _match(key, r.reference)),
                    None)
        if rule is not None:
            names[rule.ours + key[len(rule.reference):]] = key
    return names
