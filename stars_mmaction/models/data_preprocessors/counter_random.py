"""Counter-based random numbers: a pure function of (key, counter).

Each sample of a batch carries an integer key (``aug_key``, drawn from its
(seed, epoch, index) generator by ``PadRawSkeleton``). Its random numbers
are hashes of the key and a counter, computed in int64 torch arithmetic on
any device, so a sample's draws do not depend on the other samples of the
batch, its place in it, the device or a global random stream.
"""
import torch
from torch import Tensor

MASK32 = 0xFFFFFFFF


def pcg_hash(x: Tensor) -> Tensor:
    """The PCG output hash of 32-bit words (Jarzynski and Olano, 2020).

    Values are 32-bit unsigned words held in int64, so no product overflows
    (every factor is below 2**32 and every multiplier below 2**30).

    Args:
        x (Tensor): int64 words in ``[0, 2**32)``.

    Returns:
        Tensor: int64 hashes in ``[0, 2**32)``.
    """
    state = (x * 747796405 + 2891336453) & MASK32
    word = (((state >> ((state >> 28) + 4)) ^ state) * 277803737) & MASK32
    return (word >> 22) ^ word


def uniform_from_keys(keys: Tensor, counter: int) -> Tensor:
    """One uniform number in ``[0, 1)`` per key, for draw ``counter``.

    Args:
        keys (Tensor): int64 keys (any value), shape (B,).
        counter (int): Which draw of the sample (e.g. 0 for the crop
            length, 1 for its start); different counters give independent
            numbers.

    Returns:
        Tensor: float64 numbers of shape (B,), on the keys' device, with 32
        random bits each.
    """
    low = keys & MASK32
    high = (keys >> 32) & MASK32
    word = pcg_hash(pcg_hash(low) ^ high)
    word = pcg_hash(word ^ (counter & MASK32))
    return word.to(torch.float64) / 2.0**32
