"""Projection heads built from config, for the MoCo and DINO variants."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS


@MODELS.register_module()
class BNMLPProjector(nn.Sequential):
    """``[BN(in) ->] Linear(in, hidden) -> BN -> ReLU -> Linear(hidden, out)``.

    With ``input_norm=True, hidden_bias=False`` it is the MoCo head of the
    STARS reference code (the NNCLR predictor shape): ``BN(256) ->
    Linear(256, 4096, bias=False) -> BN -> ReLU -> Linear(4096, 256)``. With
    the defaults it is MoCo v2's projector.

    Args:
        in_channels (int): Input dimension.
        hidden_channels (int): Hidden width.
        out_channels (int): Output dimension.
        input_norm (bool): Start with ``BatchNorm1d(in_channels)``.
            Defaults to False.
        hidden_bias (bool): Bias of the first linear layer (redundant
            before BatchNorm). Defaults to True.
    """

    def __init__(self,
                 in_channels: int,
                 hidden_channels: int,
                 out_channels: int,
                 input_norm: bool = False,
                 hidden_bias: bool = True) -> None:
        layers = [nn.BatchNorm1d(in_channels)] if input_norm else []
        layers += [
            nn.Linear(in_channels, hidden_channels, bias=hidden_bias),
            nn.BatchNorm1d(hidden_channels),
            nn.ReLU(inplace=True),
            nn.Linear(hidden_channels, out_channels)
        ]
        super().__init__(*layers)
        self.in_channels = in_channels
        self.out_channels = out_channels


@MODELS.register_module()
class NormalizedLinearProjector(nn.Module):
    """``Linear(in, out)`` with L2-normalised output rows.

    The DINO head of the STARS reference code: the encoder's classification
    layer ``Linear(256, 128)`` whose normalised outputs are used directly as
    the 128 prototype logits (no MLP, no separate prototype layer). The
    weights start as MAMP's transformer initialises its linear layers
    (truncated normal, std 0.02, zero bias).

    Args:
        in_channels (int): Input dimension.
        out_channels (int): Number of prototypes (output dimension).
    """

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.linear = nn.Linear(in_channels, out_channels)
        nn.init.trunc_normal_(self.linear.weight, std=0.02)
        nn.init.zeros_(self.linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Unit-norm logits (N, out_channels) of features (N, in_channels).
        """
        return F.normalize(self.linear(x), dim=-1)
