/** The three per-pixel tasks of the network, in the canonical order used everywhere (outputs, reports). */
export const TASKS = ['segmentation', 'instances', 'depth'] as const;

/** One task: semantic class, instance centroid offsets, or inverse depth (disparity). */
export type Task = (typeof TASKS)[number];

/** A value per task, for the tasks a model was trained on. */
export type PerTask<T> = Partial<Record<Task, T>>;

/** Output channels of each task's head (segmentation: one logit per class). */
export function headChannels(task: Task, classes: number): number {
  return task === 'segmentation' ? classes : task === 'instances' ? 2 : 1;
}

/** Whether the task is a regression (L1 loss, Gaussian likelihood) rather than a classification. */
export function isRegression(task: Task): boolean {
  return task !== 'segmentation';
}

/** Sorts and de-duplicates a task list into {@link TASKS} order. */
export function canonicalTasks(tasks: readonly Task[]): Task[] {
  return TASKS.filter((task) => tasks.includes(task));
}
