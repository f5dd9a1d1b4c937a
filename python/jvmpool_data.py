"""Read a jvmpool output folder back with numpy: every batch of an output, in batch order.

    import sys; sys.path.insert(0, 'python')      # or copy this file next to your code
    import jvmpool_data
    labels = jvmpool_data.load('trainset', 'label')                   # all batches, one array
    images = jvmpool_data.load('trainset', 'image', mmap_mode='r')    # batches memory-mapped, not read
    for batch, a in jvmpool_data.batches('trainset', 'image', mmap_mode='r'):
        ...

Batches are found by number (<name>_para_<batch>.npy, sorted as numbers: 2 before 10); the
manifest (jvmpool-manifest.json) says which batches are whole, and only those are read. Needs numpy.
"""
import json
import os
import re

import numpy as np

__all__ = ["batch_files", "batches", "load"]


def batch_files(folder, name):
    """The files of output `name` in `folder`, in batch order, as (batch, path) pairs: the batches the
    manifest lists when there is one, else every <name>_para_<batch>.npy there."""
    pattern = re.compile(re.escape(name) + r"_para_(\d+)\.npy$")
    manifest = os.path.join(folder, "jvmpool-manifest.json")
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as f:
            listed = json.load(f).get("batches", {})
        numbers = sorted(int(b) for b, entry in listed.items()
                         if any(pattern.match(file) for file in entry.get("crc32c") or entry.get("sha256") or {}))
    else:
        numbers = sorted(int(m.group(1)) for m in map(pattern.match, os.listdir(folder)) if m)
    if not numbers:
        raise FileNotFoundError("no batches of output %r in %s" % (name, folder))
    return [(b, os.path.join(folder, "%s_para_%d.npy" % (name, b))) for b in numbers]


def batches(folder, name, mmap_mode=None):
    """Each batch of output `name` as (batch, array), in batch order; with mmap_mode='r' the arrays
    are memory-mapped (np.load's mmap_mode): nothing is read until it is used."""
    for b, path in batch_files(folder, name):
        yield b, np.load(path, mmap_mode=mmap_mode)


def load(folder, name, mmap_mode=None):
    """Output `name` of every batch, in batch order, as one array: row i is task i when the batches
    are whole and numbered from 0. With mmap_mode, each batch is mapped and then copied into one
    array; for data larger than memory use batches(..., mmap_mode='r') instead."""
    parts = [a for _, a in batches(folder, name, mmap_mode)]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)
