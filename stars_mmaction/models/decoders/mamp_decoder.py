"""The transformer decoder that MAMP pre-training discards afterwards."""
from typing import Optional, Sequence, Tuple, Union

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor, nn

from ..utils.activation_checkpoint import check_cp_scope, run_blocks
from ..utils.transformer_block import (TransformerBlock,
                                       init_transformer_weights)


@MODELS.register_module()
class MAMPDecoder(BaseModule):
    """Decoder that predicts a patch for every token from the kept ones.

    Mask tokens fill the masked positions, every token gets the decoder's own
    joint and time embeddings, and a linear layer predicts
    ``t_patch_size * in_channels`` values per token. Parameter names follow
    the reference code (``decoder_embed``, ``mask_token``, ...).

    Args:
        embed_dims (int): Width of the encoder's tokens. Defaults to 256.
        decoder_embed_dims (int): Width of the decoder. Defaults to 256.
        depth (int): Blocks: 3 for NTU-60, 5 for NTU-120 and PKU-MMD.
            Defaults to 3.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): MLP hidden width over the decoder width.
            Defaults to 4.
        num_frames (int): Frames of the input. Defaults to 120.
        num_joints (int): Joints per person. Defaults to 25.
        t_patch_size (int): Frames per token. Defaults to 4.
        in_channels (int): Coordinates per joint. Defaults to 3.
        with_cp (bool): Activation checkpointing of the blocks.
            Defaults to False.
        cp_scope (str): ``'block'``, ``'mlp'`` or ``'selective'``, as in
            :class:`MAMPEncoder`. Defaults to ``'block'``.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to None (the reference initialisation).
    """

    def __init__(self,
                 embed_dims: int = 256,
                 decoder_embed_dims: int = 256,
                 depth: int = 3,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.,
                 num_frames: int = 120,
                 num_joints: int = 25,
                 t_patch_size: int = 4,
                 in_channels: int = 3,
                 with_cp: bool = False,
                 cp_scope: str = 'block',
                 init_cfg: Optional[Union[dict, Sequence[dict]]] = None
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        check_cp_scope(cp_scope)
        self.with_cp = with_cp
        self.cp_scope = cp_scope
        self.decoder_embed = nn.Linear(embed_dims, decoder_embed_dims)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_embed_dims))
        self.decoder_pos_embed = nn.Parameter(
            torch.zeros(1, 1, num_joints, decoder_embed_dims))
        self.decoder_temp_embed = nn.Parameter(
            torch.zeros(1, num_frames // t_patch_size, 1, decoder_embed_dims))
        self.decoder_blocks = nn.ModuleList([
            TransformerBlock(decoder_embed_dims, num_heads, mlp_ratio)
            for _ in range(depth)
        ])
        self.decoder_norm = nn.LayerNorm(decoder_embed_dims)
        self.decoder_pred = nn.Linear(decoder_embed_dims,
                                      t_patch_size * in_channels)

    def init_weights(self) -> None:
        """Reference initialisation, unless ``init_cfg`` says otherwise."""
        if self.init_cfg is not None:
            super().init_weights()
            return
        trunc_normal_(self.mask_token, std=.02)
        trunc_normal_(self.decoder_pos_embed, std=.02)
        trunc_normal_(self.decoder_temp_embed, std=.02)
        self.apply(init_transformer_weights)

    def forward(self, kept: Tensor, ids_restore: Tensor,
                grid: Tuple[int, int]) -> Tensor:
        """Predict one patch per token.

        Args:
            kept (Tensor): Encoded kept tokens of shape (B, L_keep, D).
            ids_restore (Tensor): Index (B, L) that puts the kept-first token
                order back into the original order.
            grid (Tuple[int, int]): Tokens per sequence as (T', V).

        Returns:
            Tensor: Predictions of shape (B, T' * V, t_patch_size * C).
        """
        TP, VP = grid
        x = self.decoder_embed(kept)
        B, num_keep, D = x.shape
        mask_tokens = self.mask_token.expand(B, TP * VP - num_keep, D)
        x = torch.cat([x, mask_tokens], dim=1)
        x = torch.gather(x, 1, ids_restore.unsqueeze(-1).expand(-1, -1, D))
        x = x.reshape(B, TP, VP, D) + (
            self.decoder_pos_embed[:, :, :VP] +
            self.decoder_temp_embed[:, :TP])
        x = run_blocks(self.decoder_blocks, x.reshape(B, TP * VP, D),
                       self.with_cp, self.cp_scope)
        return self.decoder_pred(self.decoder_norm(x))
