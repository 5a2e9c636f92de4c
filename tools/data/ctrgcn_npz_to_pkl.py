#!/usr/bin/env python
"""Convert a CTR-GCN / MAMP ``.npz`` (``x_train``, ``y_train``, ``x_test``,
``y_test``; x ``(N, 300, 150)``, one-hot y) to an mmaction2 3D skeleton
pickle.

Example::

    python tools/data/ctrgcn_npz_to_pkl.py data/ntu/NTU60_CS.npz \\
        --benchmark xsub --out data/ntu60_xsub_from_npz.pkl
"""
import argparse
import os.path as osp
import sys

try:
    import stars_mmaction  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from stars_mmaction.datasets.converters.ctrgcn_npz import (  # noqa: E402
    convert_ctrgcn_npz)
from stars_mmaction.datasets.converters.summary import (  # noqa: E402
    convert_and_dump)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert a CTR-GCN/MAMP .npz to an mmaction2 3D skeleton '
        'pickle: padding frames dropped, second person dropped when all '
        'zero, frame_dir train_000000 / val_000000.')
    parser.add_argument('npz', help='input .npz file')
    parser.add_argument('--out', required=True, help='output .pkl path')
    parser.add_argument(
        '--benchmark', required=True,
        help='split name prefix, e.g. xsub -> xsub_train / xsub_val '
        '(xsub, xview, xset, ...)')
    parser.add_argument(
        '--num-classes', type=int, default=None,
        help='check labels against this many classes (default: width of '
        'the one-hot y arrays)')
    parser.add_argument('--prefix', default='',
                        help='prefix of the synthetic frame_dir names')
    parser.add_argument('--no-progress', action='store_true',
                        help='hide the progress bar')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    return convert_and_dump(
        lambda: convert_ctrgcn_npz(
            args.npz, benchmark=args.benchmark, num_classes=args.num_classes,
            prefix=args.prefix, progress=not args.no_progress),
        args.out)


if __name__ == '__main__':
    sys.exit(main())
