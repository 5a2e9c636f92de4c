"""Write the synthetic NTU-layout demo data set (``stars_mmaction.demo``).

Usage::

    python tools/data/make_demo_dataset.py --out-dir data/demo --name demo_3d

writes ``<out-dir>/<name>.pkl`` (mmaction2 skeleton annotation pickle with
``xsub_train`` / ``xsub_val`` splits by subject) and
``<out-dir>/label_map.txt`` (one class name per line, line index = label),
then prints a summary.
"""
import argparse
import os
import os.path as osp
import pickle
import sys
import time
from typing import Dict, Optional, Sequence

try:
    from stars_mmaction import demo
except ImportError:  # running from a source checkout without installing
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..',
                                            '..')))
    from stars_mmaction import demo


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate the synthetic NTU-layout skeleton demo data set')
    parser.add_argument('--out-dir', default='data/demo', help='output folder')
    parser.add_argument('--name', default='demo_3d',
                        help='pickle file name (without .pkl)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-classes', type=int,
                        default=len(demo.ACTIONS),
                        help='use the first N actions')
    parser.add_argument('--num-subjects', type=int, default=40)
    parser.add_argument('--num-val-subjects', type=int, default=10)
    parser.add_argument('--num-repetitions', type=int, default=5,
                        help='performances per subject and action')
    parser.add_argument('--num-val-repetitions', type=int, default=20,
                        help='performances per subject and action in '
                        'xsub_val')
    parser.add_argument('--frames', type=int, nargs=2, default=(40, 64),
                        metavar=('MIN', 'MAX'),
                        help='range of sequence lengths (inclusive)')
    parser.add_argument('--two-person-prob', type=float, default=.3,
                        help='probability that a partner acts too')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict:
    args = parse_args(argv)
    start = time.perf_counter()
    data = demo.make_dataset(
        seed=args.seed,
        num_classes=args.num_classes,
        num_subjects=args.num_subjects,
        num_val_subjects=args.num_val_subjects,
        num_repetitions=args.num_repetitions,
        num_val_repetitions=args.num_val_repetitions,
        frame_range=args.frames,
        two_person_prob=args.two_person_prob)
    seconds = time.perf_counter() - start

    os.makedirs(args.out_dir, exist_ok=True)
    pkl_path = osp.join(args.out_dir, f'{args.name}.pkl')
    with open(pkl_path, 'wb') as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    map_path = osp.join(args.out_dir, 'label_map.txt')
    with open(map_path, 'w') as f:
        f.write('\n'.join(demo.CLASS_NAMES[:args.num_classes]) + '\n')

    anns = data['annotations']
    two = sum(a['keypoint'].shape[0] == 2 for a in anns)
    print(f'wrote {pkl_path} ({osp.getsize(pkl_path) / 2**20:.1f} MiB) and '
          f'{map_path} in {seconds:.1f} s')
    print(f'samples: {len(anns)} (xsub_train '
          f'{len(data["split"]["xsub_train"])}, xsub_val '
          f'{len(data["split"]["xsub_val"])}), classes: {args.num_classes}, '
          f'two-person samples: {two}, frames: {args.frames[0]}-'
          f'{args.frames[1]}')
    return data


if __name__ == '__main__':
    main()
