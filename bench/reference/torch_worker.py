"""A long-lived PyTorch process that bench/vs-pytorch.ts drives over stdin/stdout, one JSON object a line.

    /usr/bin/python3 bench/reference/torch_worker.py --threads 2

Requests and answers (every answer has "ok"; a failed request answers {"ok": false, "error": ...}):
  {"op": "hello"}                               -> versions, thread count, torch's build configuration
  {"op": "load", "bundle": DIR, "mode": "train" | "infer"}
                                                -> builds the SceneNet port from the bundle's meta, loads the
                                                   tfjs weights and batch, and an Adam like tfjs' (train)
  {"op": "step"}                                -> {"ms", "cpu_ms"}: one train step (forward, the three losses
                                                   summed, backward, Adam) or one inference forward, timed
                                                   here so that the pipe is not counted
  {"op": "profile"}                             -> the ops of one step by self CPU time (torch.profiler), and
                                                   how many forward convs ran on oneDNN and on im2col + BLAS
  {"op": "gemm", "n": N, "reps": R}             -> GFLOP/s of float32 GEMMs on this thread count
  {"op": "exit"}
Only this protocol goes to stdout; anything else torch prints goes to stderr.
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scene_losses import task_losses  # noqa: E402
from scene_net import SceneNet, load_tfjs_weights  # noqa: E402
from tensor_io import read_bundle, torch_batch  # noqa: E402

# The library a BLAS_INFO=generic build calls (Debian's alternatives choose the implementation).
LIBBLAS = '/usr/lib/x86_64-linux-gnu/libblas.so.3'
# Rows of the profile answer: the costliest ops are what explains a step.
PROFILE_ROWS = 15


class Worker:
    def __init__(self, threads):
        torch.set_num_threads(threads)
        self.threads = threads
        self.net = None
        self.step_fn = None

    def hello(self, _request):
        return {
            'torch': torch.__version__,
            'numpy': np.__version__,
            'python': platform.python_version(),
            'threads': torch.get_num_threads(),
            'config': torch.__config__.show(),
            'parallel': torch.__config__.parallel_info(),
            # BLAS_INFO=generic: the BLAS is whatever Debian's alternatives point libblas.so.3 at.
            'libblas': os.path.realpath(LIBBLAS),
        }

    def load(self, request):
        meta, tensors = read_bundle(request['bundle'])
        torch.manual_seed(0)
        self.net = SceneNet(meta['networkWidth'], meta['classes'], meta['tasks'])
        load_tfjs_weights(self.net, {k[len('weights/'):]: v for k, v in tensors.items() if k.startswith('weights/')})
        batch = torch_batch(tensors)
        if request['mode'] == 'train':
            self.net.train()
            adam = meta['adam']
            optimizer = torch.optim.Adam(
                self.net.parameters(), lr=adam['learningRate'], betas=(adam['beta1'], adam['beta2']), eps=adam['epsilon']
            )
            self.step_fn = lambda: self.train_step(optimizer, batch)
        else:
            self.net.eval()
            self.step_fn = lambda: self.infer(batch['images'])
        self.step_fn()
        trainable, moving = self.net.parameter_counts()
        return {'trainable': trainable, 'moving': moving}

    def train_step(self, optimizer, batch):
        optimizer.zero_grad(set_to_none=True)
        outputs = self.net(batch['images'])
        loss = sum(task_losses(outputs, self.net.tasks, batch).values())
        loss.backward()
        optimizer.step()
        return loss.item()

    def infer(self, images):
        with torch.inference_mode():
            return self.net(images)

    def step(self, _request):
        cpu = time.process_time()
        start = time.perf_counter()
        self.step_fn()
        ms = (time.perf_counter() - start) * 1e3
        return {'ms': ms, 'cpu_ms': (time.process_time() - cpu) * 1e3}

    def profile(self, _request):
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            self.step_fn()
        events = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
        total = sum(e.self_cpu_time_total for e in events)
        rows = [
            {'op': e.key, 'ms': e.self_cpu_time_total / 1e3, 'calls': e.count}
            for e in events[:PROFILE_ROWS]
        ]
        counts = {e.key: e.count for e in events}
        # Which implementation ran the forward convolutions: oneDNN, or im2col + the BLAS torch was built with.
        paths = {'onednn': counts.get('aten::mkldnn_convolution', 0), 'blas': counts.get('aten::_slow_conv2d_forward', 0)}
        return {'rows': rows, 'total_ms': total / 1e3, 'conv_paths': paths}

    def gemm(self, request):
        n, reps = request['n'], request['reps']
        a, b = torch.randn(n, n), torch.randn(n, n)
        flops = 2 * n ** 3

        def best(fn):
            fn()
            times = []
            for _ in range(reps):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            return flops / min(times) / 1e9

        # oneDNN's GEMM, reached as a 1x1 convolution of a [1, K, M, 1] input: the kernels torch's convs use.
        x = a.t().contiguous().view(1, n, n, 1)
        w = b.t().contiguous().view(n, n, 1, 1)
        answer = {'onednn': best(lambda: torch.mkldnn_convolution(x, w, None, (0, 0), (1, 1), (1, 1), 1))}
        # torch.mm and numpy go through the BLAS torch was built with (BLAS_INFO=generic: libblas.so.3).
        m = request.get('blas_n', n)
        a2, b2 = a[:m, :m].contiguous(), b[:m, :m].contiguous()
        flops = 2 * m ** 3
        answer['torch_mm'] = best(lambda: torch.mm(a2, b2))
        an, bn = a2.numpy(), b2.numpy()
        answer['numpy'] = best(lambda: an @ bn)
        answer['blas_n'] = m
        return answer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, required=True)
    args = parser.parse_args()
    out = sys.stdout
    sys.stdout = sys.stderr
    worker = Worker(args.threads)
    for line in sys.stdin:
        request = json.loads(line)
        if request['op'] == 'exit':
            break
        try:
            handler = {
                'hello': worker.hello,
                'load': worker.load,
                'step': worker.step,
                'profile': worker.profile,
                'gemm': worker.gemm,
            }[request['op']]
            answer = handler(request)
            answer['ok'] = True
        except Exception as error:  # answered, so that the driver can say what failed
            answer = {'ok': False, 'error': f'{type(error).__name__}: {error}'}
        out.write(json.dumps(answer) + '\n')
        out.flush()


if __name__ == '__main__':
    main()
