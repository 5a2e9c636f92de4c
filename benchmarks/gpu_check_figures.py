"""The figure records of the GPU check and its closing table.

Every figure is one JSON line ``{"name", "value", "unit", ...}``; a figure
that was not taken has ``"value": null`` and ``"skipped"``, the reason.
"""
import sys
from typing import Any, Dict, List, Optional

import torch

PREFIX = 'gpu_check/'


def figure(name: str, value: Any, unit: Optional[str],
           **extra: Any) -> Dict[str, Any]:
    """One figure: ``name`` (prefixed ``gpu_check/``), ``value``, ``unit``."""
    record = dict(name=PREFIX + name,
                  value=round(value, 4) if isinstance(value, float) else value,
                  unit=unit)
    record.update({
        key: round(v, 5) if isinstance(v, float) else v
        for key, v in extra.items()
    })
    return record


def skipped(name: str, unit: Optional[str], reason: str,
            **extra: Any) -> Dict[str, Any]:
    """A figure not taken, with the reason."""
    return figure(name, None, unit, skipped=reason, **extra)


def device_figure(quick: bool) -> Dict[str, Any]:
    """Where the figures were taken: the GPU (or CPU) and the versions."""
    from bench_utils import machine
    info = machine()
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        info.update(gpu=props.name,
                    gpu_memory_gb=round(props.total_memory / 2**30, 1),
                    gpu_count=torch.cuda.device_count(),
                    cuda=torch.version.cuda,
                    cudnn=torch.backends.cudnn.version(),
                    tf32_matmul=torch.backends.cuda.matmul.allow_tf32,
                    tf32_cudnn=torch.backends.cudnn.allow_tf32)
        name = props.name
    else:
        name = 'cpu (no GPU visible)'
    return figure('device', name, None, machine=info, quick=quick)


def step_figures(stage: int, precision: str,
                 result: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The rate and peak-memory figures of one measured training step."""
    base = f'stage{stage}/{precision}'
    common = dict(stage=stage, precision=precision)
    return [
        figure(f'{base}/seqs_per_s',
               result['seqs_per_s'],
               'seq/s',
               median_s=result['median_s'],
               min_s=result['min_s'],
               max_s=result['max_s'],
               steps=len(result['times']),
               optim_wrapper=result['optim_wrapper'],
               sdpa_backends=result['sdpa_backends'],
               **common),
        figure(f'{base}/peak_memory',
               result['peak_memory_mb'],
               'MB',
               method=result['peak_memory_method'],
               **common)
    ]


def compile_figures(stage: int, result: Dict[str, Any]) -> List[Dict]:
    """Eager rate, compiled rate (or the reason) and compile time."""
    base = f'compile/stage{stage}'
    common = dict(stage=stage,
                  modules=result['modules'],
                  backend=result['backend'])
    eager = figure(f'{base}/eager', result['eager']['seqs_per_s'], 'seq/s',
                   **common)
    if result['error'] is not None:
        reason = f'torch.compile failed: {result["error"]}'
        return [
            eager,
            skipped(f'{base}/compiled', 'seq/s', reason, **common),
            skipped(f'{base}/compile_time', 's', reason, **common)
        ]
    return [
        eager,
        figure(f'{base}/compiled',
               result['compiled']['seqs_per_s'],
               'seq/s',
               speedup=result['speedup'],
               pays=result['speedup'] > 1,
               **common),
        figure(f'{base}/compile_time', result['compile_s'], 's', **common)
    ]


def loader_figures(path: str, stage: int, result: Dict[str,
                                                       Any]) -> List[Dict]:
    """Loader rate and its ratio to the model rate, for one data path."""
    common = dict(stage=stage,
                  data_path=path,
                  num_workers=result['num_workers'],
                  batch_size=result['batch_size'],
                  cores=result['cores'])
    return [
        figure(f'loader/{path}/stage{stage}',
               result['loader_samples_per_s'],
               'samples/s',
               per_worker=result['loader_samples_per_s'] /
               max(result['num_workers'], 1),
               **common),
        figure(f'loader_vs_model/{path}/stage{stage}',
               result['ratio'],
               'loader/model',
               loader_samples_per_s=result['loader_samples_per_s'],
               model_samples_per_s=result['model_samples_per_s'],
               bound=result['bound'],
               **common)
    ]


def table(records: List[Dict[str, Any]], stream: Any = sys.stderr) -> None:
    """Print the figures as a short aligned table."""
    rows = []
    for record in records:
        name = record['name'][len(PREFIX):]
        if record.get('skipped'):
            value = f'skipped: {record["skipped"]}'
        else:
            value = record['value']
            value = f'{value:.4g}' if isinstance(value, float) else str(value)
            value = f'{value} {record.get("unit") or ""}'.strip()
            if 'bound' in record:
                value += f' (bound by the {record["bound"]})'
        rows.append((name, value))
    width = max((len(name) for name, _ in rows), default=0)
    print('\nGPU check', file=stream)
    for name, value in rows:
        print(f'  {name:<{width}}  {value}', file=stream)
