import csv

import numpy as np
import pytest

from stars_mmaction.evaluation import (confusion_matrix, load_class_names,
                                       write_confusion_matrix)


def test_confusion_matrix_counts_true_rows_predicted_columns():
    matrix = confusion_matrix(np.array([0, 1, 1, 2]), np.array([0, 0, 1, 2]),
                              3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]


def test_write_confusion_matrix_with_class_names(tmp_path):
    label_map = tmp_path / 'label_map.txt'
    label_map.write_text('clap\nwave\njump\n')
    names = load_class_names(str(label_map), 3)
    matrix = np.array([[2, 1, 0], [0, 3, 0], [1, 0, 1]])
    write_confusion_matrix(matrix, names, str(tmp_path / 'cm.csv'),
                           str(tmp_path / 'cm.png'), 'test')
    rows = list(csv.reader(open(tmp_path / 'cm.csv')))
    assert rows[0] == ['true \\ predicted', 'clap', 'wave', 'jump']
    assert rows[3] == ['jump', '1', '0', '1']
    assert (tmp_path / 'cm.png').read_bytes()[:4] == b'\x89PNG'
    with pytest.raises(ValueError, match='names 3 classes, expected 4'):
        load_class_names(str(label_map), 4)
    assert load_class_names(None, 2) == ['0', '1']
