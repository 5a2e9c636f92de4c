"""Pre-norm transformer block of the MAMP reference, on fused attention."""
from typing import Optional

import torch
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath
from torch import Tensor, nn


class MultiheadSelfAttention(nn.Module):
    """Self-attention with a fused qkv projection.

    Uses :func:`torch.nn.functional.scaled_dot_product_attention`, which never
    materialises the token-by-token attention matrix on the fused kernels.
    Parameter names (``qkv``, ``proj``) follow the reference code.

    Args:
        dim (int): Token width.
        num_heads (int): Number of heads. Defaults to 8.
        qkv_bias (bool): Whether ``qkv`` has a bias. Defaults to True.
        attn_drop (float): Dropout on attention weights. Defaults to 0.
        proj_drop (float): Dropout after ``proj``. Defaults to 0.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int = 8,
                 qkv_bias: bool = True,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.) -> None:
        super().__init__()
        if dim % num_heads != 0:
            raise ValueError(f'dim={dim} must be divisible by '
                             f'num_heads={num_heads}')
        self.num_heads = num_heads
        self.attn_drop = attn_drop
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: Tensor) -> Tensor:
        """Attend over the tokens of each sequence.

        Args:
            x (Tensor): Tokens of shape (B, L, C).

        Returns:
            Tensor: Tokens of shape (B, L, C).
        """
        B, L, C = x.shape
        qkv = self.qkv(x).reshape(B, L, 3, self.num_heads, C // self.num_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        x = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.attn_drop if self.training else 0.)
        x = x.transpose(1, 2).reshape(B, L, C)
        return self.proj_drop(self.proj(x))


class FeedForward(nn.Module):
    """Two-layer MLP with GELU (``fc1``, ``fc2`` as in the reference).

    Args:
        dim (int): Token width.
        hidden_dim (int): Hidden width.
        drop (float): Dropout after each layer. Defaults to 0.
    """

    def __init__(self, dim: int, hidden_dim: int, drop: float = 0.) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden_dim)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden_dim, dim)
        self.drop = nn.Dropout(drop)

    def forward(self, x: Tensor) -> Tensor:
        return self.drop(self.fc2(self.drop(self.act(self.fc1(x)))))


class TransformerBlock(nn.Module):
    """Pre-norm block: ``x + attn(norm1(x))`` then ``x + mlp(norm2(x))``.

    Args:
        dim (int): Token width.
        num_heads (int): Number of heads. Defaults to 8.
        mlp_ratio (float): Hidden width of the MLP over ``dim``.
            Defaults to 4.
        qkv_bias (bool): Whether ``qkv`` has a bias. Defaults to True.
        drop (float): Dropout after attention and MLP. Defaults to 0.
        attn_drop (float): Dropout on attention weights. Defaults to 0.
        drop_path (float): Stochastic depth rate. Defaults to 0.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 drop_path: float = 0.) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = MultiheadSelfAttention(dim, num_heads, qkv_bias,
                                           attn_drop, drop)
        self.drop_path: Optional[nn.Module] = (
            DropPath(drop_path) if drop_path > 0 else nn.Identity())
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = FeedForward(dim, int(dim * mlp_ratio), drop)

    def forward_attention(self, x: Tensor) -> Tensor:
        """The attention half: ``x + attn(norm1(x))``."""
        return x + self.drop_path(self.attn(self.norm1(x)))

    def forward_mlp(self, x: Tensor) -> Tensor:
        """The MLP half: ``x + mlp(norm2(x))``."""
        return x + self.drop_path(self.mlp(self.norm2(x)))

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_mlp(self.forward_attention(x))


def init_transformer_weights(module: nn.Module) -> None:
    """Reference initialisation: xavier-uniform linears, unit layer norms.

    Args:
        module (nn.Module): A module visited by ``nn.Module.apply``.
    """
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)
