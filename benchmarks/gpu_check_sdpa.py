"""Which ``scaled_dot_product_attention`` backends run the encoder's attention.

The encoder's attention (:class:`MultiheadSelfAttention`) calls
``F.scaled_dot_product_attention`` on q, k, v split from one fused ``qkv``
projection: shape (batch x persons, heads, tokens, head width), not
contiguous. Each backend is tried alone under
``torch.nn.attention.sdpa_kernel`` on inputs made the same way, forward and
backward (training needs both); one that refuses the inputs raises, and the
first line of its error and of the warnings torch gives before it are the
reason. The default call's choice is read
from the profiler's operator names.
"""
import warnings
from typing import Any, Dict

import torch
import torch.nn.functional as F

from gpu_check_steps import device_type, sdpa_ops_used

BACKENDS = ('flash', 'efficient', 'cudnn', 'math')


def attention_inputs(sequences: int, tokens: int, dims: int, heads: int,
                     dtype: torch.dtype) -> tuple:
    """q, k, v of the encoder's layout, on the device, with gradients."""
    qkv = torch.randn(sequences,
                      tokens,
                      3,
                      heads,
                      dims // heads,
                      device=device_type(),
                      dtype=dtype,
                      requires_grad=True)
    return qkv, qkv.permute(2, 0, 3, 1, 4).unbind(0)


def sdpa_backend_enum(name: str) -> Any:
    """``torch.nn.attention.SDPBackend`` member of a short backend name."""
    from torch.nn.attention import SDPBackend
    return {
        'flash': SDPBackend.FLASH_ATTENTION,
        'efficient': SDPBackend.EFFICIENT_ATTENTION,
        'cudnn': SDPBackend.CUDNN_ATTENTION,
        'math': SDPBackend.MATH,
    }[name]


def first_line(error: BaseException) -> str:
    """``Type: first line of the message`` of an exception."""
    text = str(error).strip().splitlines()
    return f'{type(error).__name__}: {text[0] if text else ""}'


def probe(sequences: int, tokens: int, dims: int, heads: int,
          dtype: torch.dtype) -> Dict[str, Any]:
    """Try every backend alone, then see which one the default call runs.

    Args:
        sequences (int): Batch x persons.
        tokens (int): Tokens per sequence (frames / 4 x joints: 750 at full
            size).
        dims (int): Token width (256).
        heads (int): Attention heads (8).
        dtype (torch.dtype): ``torch.float32`` or ``torch.bfloat16``.

    Returns:
        dict: ``runs`` (per backend: True, or the reason it refused) and
        ``default`` (the backends the unrestricted call ran, from the
        profiler; '+'-joined).
    """
    from torch.nn.attention import sdpa_kernel
    qkv, (q, k, v) = attention_inputs(sequences, tokens, dims, heads, dtype)
    runs: Dict[str, Any] = {}
    for name in BACKENDS:
        # torch gives a refused backend's reasons as warnings, then raises.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            try:
                with sdpa_kernel([sdpa_backend_enum(name)]):
                    F.scaled_dot_product_attention(q, k, v).sum().backward()
                runs[name] = True
            except Exception as error:  # noqa: B902  (refused: the reason)
                reasons = [first_line(error)] + [
                    str(w.message).strip().splitlines()[0]
                    for w in caught if str(w.message).strip()
                ]
                runs[name] = '; '.join(reasons)
        qkv.grad = None

    def default_call() -> None:
        F.scaled_dot_product_attention(q, k, v).sum().backward()

    default = sdpa_ops_used(default_call)
    return dict(runs=runs, default='+'.join(default) or 'none seen')
