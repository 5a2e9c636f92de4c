"""Write the embedded synthetic NTU-layout demo data set.

Usage::

    python tools/data/make_demo_dataset.py --out-dir data/demo --seed 0

writes ``<out-dir>/<name>.pkl`` (mmaction2 skeleton annotation pickle with
``xsub_train`` / ``xsub_val`` splits) and ``<out-dir>/label_map.txt`` (one class
name per line, line index = label), then prints a summary including the
raw-coordinate 1-NN accuracy (skip it with ``--no-eval``).
"""
import argparse
import os
import os.path as osp
import pickle
import sys
import time

try:
    from stars_mmaction.datasets import synthetic_ntu
except ImportError:  # running from a source checkout without installing
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))
    from stars_mmaction.datasets import synthetic_ntu


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Generate the synthetic NTU-layout skeleton demo data set')
    parser.add_argument('--out-dir', default='data/demo', help='output folder')
    parser.add_argument('--name', default='synthetic_ntu',
                        help='pickle file name (without .pkl)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-classes', type=int,
                        default=len(synthetic_ntu.ACTION_CLASSES),
                        help='use the first N classes')
    parser.add_argument('--num-subjects', type=int, default=20)
    parser.add_argument('--num-val-subjects', type=int, default=6)
    parser.add_argument('--num-repetitions', type=int, default=2)
    parser.add_argument('--noise-std', type=float, default=0.01,
                        help='Gaussian joint noise (metres)')
    parser.add_argument('--no-eval', action='store_true',
                        help='skip the raw-coordinate 1-NN accuracy')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    t0 = time.perf_counter()
    data = synthetic_ntu.make_dataset(
        seed=args.seed, num_classes=args.num_classes,
        num_subjects=args.num_subjects,
        num_val_subjects=args.num_val_subjects,
        num_repetitions=args.num_repetitions, noise_std=args.noise_std)
    gen_time = time.perf_counter() - t0

    os.makedirs(args.out_dir, exist_ok=True)
    pkl_path = osp.join(args.out_dir, f'{args.name}.pkl')
    with open(pkl_path, 'wb') as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    map_path = osp.join(args.out_dir, 'label_map.txt')
    with open(map_path, 'w') as f:
        f.write('\n'.join(synthetic_ntu.CLASS_NAMES[:args.num_classes]) + '\n')

    anns = data['annotations']
    lengths = [a['total_frames'] for a in anns]
    two = sum(a['keypoint'].shape[0] == 2 for a in anns)
    print(f'wrote {pkl_path} ({osp.getsize(pkl_path) / 2**20:.1f} MiB) '
          f'and {map_path}')
    print(f'samples: {len(anns)} (xsub_train {len(data["split"]["xsub_train"])}, '
          f'xsub_val {len(data["split"]["xsub_val"])}), classes: {args.num_classes}, '
          f'two-person samples: {two}')
    print(f'frames: min {min(lengths)}, mean {sum(lengths) / len(lengths):.1f}, '
          f'max {max(lengths)}; generation time {gen_time:.2f} s')
    if not args.no_eval:
        acc = synthetic_ntu.raw_nn_accuracy(data)
        print(f'raw-coordinate 1-NN accuracy (xsub_train -> xsub_val): '
              f'{100 * acc:.1f} % (chance {100 / args.num_classes:.1f} %)')
    return data


if __name__ == '__main__':
    main()
