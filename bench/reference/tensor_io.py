"""Reads the tensor bundles that bench/reference/tensor-bundle.ts writes: bundle.json + bundle.bin.

bundle.json: {"meta": {...}, "tensors": [{"name", "dtype": "float32" | "int32" | "bool", "shape", "offset"}]};
bundle.bin: the tensors' little-endian bytes at those offsets, NHWC as tfjs holds them.
"""
import json
import os

import numpy as np
import torch

DTYPES = {'float32': np.float32, 'int32': np.int32, 'bool': np.uint8}


def read_bundle(directory):
    """(meta, {name: np.ndarray}) of the bundle in `directory`."""
    with open(os.path.join(directory, 'bundle.json'), encoding='utf-8') as f:
        index = json.load(f)
    data = np.fromfile(os.path.join(directory, 'bundle.bin'), dtype=np.uint8)
    tensors = {}
    for entry in index['tensors']:
        dtype = np.dtype(DTYPES[entry['dtype']]).newbyteorder('<')
        count = int(np.prod(entry['shape'], dtype=np.int64))
        start = entry['offset']
        raw = data[start:start + count * dtype.itemsize]
        array = raw.view(dtype).astype(DTYPES[entry['dtype']]).reshape(entry['shape'])
        tensors[entry['name']] = array.astype(bool) if entry['dtype'] == 'bool' else array
    return index['meta'], tensors


def nchw(array):
    """A [B, H, W, C] array as a contiguous [B, C, H, W] tensor."""
    return torch.from_numpy(np.ascontiguousarray(array.transpose(0, 3, 1, 2)))


def nhwc(tensor):
    """A [B, C, H, W] tensor as a [B, H, W, C] float64 array (for comparisons)."""
    return tensor.detach().permute(0, 2, 3, 1).double().numpy()


def torch_batch(tensors, prefix='batch/'):
    """The bundle's batch as torch tensors: images and targets NCHW, labels [B, H, W] int64."""
    batch = {'images': nchw(tensors[prefix + 'images'])}
    if prefix + 'labels' in tensors:
        batch['labels'] = torch.from_numpy(tensors[prefix + 'labels'].astype(np.int64))
        for name in ('offsets', 'offsetMask', 'disparity', 'disparityMask'):
            batch[name] = nchw(tensors[prefix + name])
    return batch
