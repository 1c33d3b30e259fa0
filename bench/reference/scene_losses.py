"""The project's task losses (src/model/losses.ts) in PyTorch, NCHW, for benchmarks only.

Each is a masked mean: the sum over counted pixels divided by max(count, 1), so an empty mask gives 0.
"""
import torch.nn.functional as F

# Train id of unlabelled pixels (CityScapes' convention; losses.ts IGNORE_LABEL).
IGNORE_LABEL = 255


def segmentation_loss(logits, labels):
    """Softmax cross-entropy over labelled pixels. logits [B, C, H, W]; labels [B, H, W] int64."""
    total = F.cross_entropy(logits, labels, ignore_index=IGNORE_LABEL, reduction='sum')
    return total / (labels != IGNORE_LABEL).sum().clamp(min=1)


def absolute(difference, sign=None):
    """|difference|, or difference * sign with a given sign (+1/-1): the same value, that sign's gradient."""
    return difference.abs() if sign is None else difference * sign


def instance_loss(predicted, target, mask, sign=None):
    """L1 of (dx, dy) summed over the two channels, averaged over instance pixels. mask [B, 1, H, W]."""
    per_pixel = absolute(predicted - target, sign).sum(1, keepdim=True)
    return (per_pixel * mask).sum() / mask.sum().clamp(min=1)


def depth_loss(predicted, target, mask, sign=None):
    """L1 of the disparity, averaged over pixels with a valid measurement. mask [B, 1, H, W]."""
    return (absolute(predicted - target, sign) * mask).sum() / mask.sum().clamp(min=1)


def task_losses(outputs, tasks, batch, signs=None):
    """{task: loss} from the net's outputs (in `tasks` order) and a batch from tensor_io.torch_batch.

    `signs` ({task: tensor of +1/-1}, optional) fixes the sign of each L1 difference (see absolute).
    """
    signs = signs or {}
    losses = {}
    for task, output in zip(tasks, outputs):
        if task == 'segmentation':
            losses[task] = segmentation_loss(output, batch['labels'])
        elif task == 'instances':
            losses[task] = instance_loss(output, batch['offsets'], batch['offsetMask'], signs.get(task))
        else:
            losses[task] = depth_loss(output, batch['disparity'], batch['disparityMask'], signs.get(task))
    return losses
