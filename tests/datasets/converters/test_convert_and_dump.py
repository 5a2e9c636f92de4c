from stars_mmaction.datasets.converters import (ConversionError,
                                                ConversionSummary,
                                                convert_and_dump, load_pickle)


def test_writes_the_pickle_and_prints_the_summary(tmp_path, capsys):
    out = tmp_path / 'sub' / 'out.pkl'
    data = dict(split={'train': ['a']}, annotations=[])
    assert convert_and_dump(lambda: (data, ConversionSummary()),
                            str(out)) == 0
    assert load_pickle(str(out)) == data
    assert f'wrote {out}' in capsys.readouterr().out


def test_a_conversion_error_writes_nothing(tmp_path, capsys):
    out = tmp_path / 'out.pkl'

    def convert():
        raise ConversionError('labels.txt line 3: expected 4 fields')

    assert convert_and_dump(convert, str(out)) == 1
    assert not out.exists()
    assert 'error: labels.txt line 3' in capsys.readouterr().err
