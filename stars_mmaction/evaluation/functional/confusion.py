"""Confusion matrices as CSV tables and PNG plots."""
import csv
import os
import os.path as osp
from typing import Optional, Sequence

import numpy as np


def confusion_matrix(preds: np.ndarray, labels: np.ndarray,
                     num_classes: int) -> np.ndarray:
    """Count (true label, predicted label) pairs.

    Args:
        preds (np.ndarray): Predicted labels of shape (Q, ).
        labels (np.ndarray): True labels of shape (Q, ).
        num_classes (int): Number of classes.

    Returns:
        np.ndarray: Counts of shape (num_classes, num_classes); row = true.
    """
    pairs = labels.astype(np.int64) * num_classes + preds.astype(np.int64)
    counts = np.bincount(pairs, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


def load_class_names(label_map: Optional[str], num_classes: int) -> list:
    """Class names from a label map (one name per line), else the indices.

    Args:
        label_map (str, optional): Path of the label map.
        num_classes (int): Number of classes.

    Returns:
        list[str]: ``num_classes`` names.
    """
    if label_map is None:
        return [str(i) for i in range(num_classes)]
    with open(label_map) as f:
        names = [line.strip() for line in f if line.strip()]
    if len(names) < num_classes:
        raise ValueError(f'label map {label_map} names {len(names)} classes, '
                         f'expected {num_classes}')
    return names[:num_classes]


def write_confusion_matrix(matrix: np.ndarray, class_names: Sequence[str],
                           csv_path: str, png_path: str, title: str) -> None:
    """Write a confusion matrix as a CSV table and a row-normalised plot.

    Args:
        matrix (np.ndarray): Counts (num_classes, num_classes); row = true.
        class_names (Sequence[str]): Name of each class.
        csv_path (str): Output CSV (header row and column = class names).
        png_path (str): Output PNG.
        title (str): Title of the plot.
    """
    for path in (csv_path, png_path):
        os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(csv_path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['true \\ predicted', *class_names])
        for name, row in zip(class_names, matrix):
            writer.writerow([name, *row.tolist()])

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rates = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = max(6., 0.18 * len(class_names) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    image = ax.imshow(rates, cmap='Blues', vmin=0, vmax=1)
    ticks = np.arange(len(class_names))
    fontsize = 8 if len(class_names) <= 30 else 5
    ax.set_xticks(ticks, class_names, rotation=90, fontsize=fontsize)
    ax.set_yticks(ticks, class_names, fontsize=fontsize)
    ax.set_xlabel('predicted')
    ax.set_ylabel('true')
    ax.set_title(title)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    fig.savefig(png_path, dpi=150)
    plt.close(fig)
