"""The labelled-data table of tools/semi_supervised.py's summary.md."""
import pytest

from stars_mmaction.datasets.subset_report import (format_labelled,
                                                   run_subset_seed)


def test_reference_draw_uses_subset_seed_0():
    assert run_subset_seed(4, 'shared') == 4
    assert run_subset_seed(4, 'per_rank') == 0
    with pytest.raises(ValueError, match='subset_draw'):
        run_subset_seed(4, 'per-rank')


def test_table_rows_and_missing_data():
    facts = {3: dict(subset_seed=0, distinct=798, split_size=40091,
                     steps=1700)}
    table = format_labelled('per_rank', 2, facts)
    assert table.startswith('Subset draw: `per_rank`, a different subset '
                            'per rank')
    assert '| 3 | 0 | 798 of 40091 (1.99%) | 1700 |' in table
    assert 'not counted' in format_labelled('shared', 1, None)
