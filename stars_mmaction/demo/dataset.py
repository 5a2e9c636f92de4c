"""The demo data set: performances of the demo actions by synthetic subjects,
in mmaction2's skeleton annotation format::

    {'split': {'xsub_train': [frame_dir, ...], 'xsub_val': [...]},
     'annotations': [{'frame_dir': 'S001C000P003R001A005', 'label': 4,
                      'total_frames': T,
                      'keypoint': float32 array (M, T, 25, 3)}, ...]}

``frame_dir`` follows NTU naming (P = subject, R = repetition, A = 1-based
action); the ``xsub`` splits are disjoint by subject. Every sample draws its
randomness from ``(seed, subject, label, repetition)``, so a sample does not
depend on which other samples are generated.
"""
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .actions import ACTIONS, action_channels
from .body import ANGLE_CHANNELS, forward_kinematics
from .variation import (AMPLITUDE, ANGLE_JITTER_STD, JOINT_JITTER_STD, SPEED,
                        START_PHASE, Subject, camera_transform, sample_subject,
                        smooth_noise)

# Everyone's neutral stance: arms slightly away from the body, elbows soft.
NEUTRAL_POSTURE = {
    'l_arm_side': .15,
    'r_arm_side': .15,
    'l_elbow': .2,
    'r_elbow': .2
}
PAIR_DISTANCE = (.8, 1.2)  # two persons side by side (m)


def perform(rng: np.random.Generator, subject: Subject, label: int,
            num_frames: int) -> np.ndarray:
    """One person's performance of an action, in their own frame.

    Args:
        rng (np.random.Generator): Random generator of this performance.
        subject (Subject): The performer.
        label (int): Index into ``ACTIONS``.
        num_frames (int): Sequence length T.

    Returns:
        np.ndarray: Joint positions (T, 25, 3).
    """
    action = ACTIONS[label]
    speed = subject.speed * rng.uniform(*SPEED)
    progress = (action.cycles * speed * np.linspace(0, 1, num_frames) +
                rng.uniform(*START_PHASE))
    channels = action_channels(action, progress, rng.uniform(*AMPLITUDE))
    jitter = smooth_noise(rng, (num_frames, len(ANGLE_CHANNELS)),
                          ANGLE_JITTER_STD)
    for i, name in enumerate(ANGLE_CHANNELS):
        static = NEUTRAL_POSTURE.get(name, 0.) + subject.posture[name]
        channels[name] = channels.get(name, 0.) + static + jitter[:, i]
    positions = forward_kinematics(subject.offsets, channels)
    return positions + smooth_noise(rng, positions.shape, JOINT_JITTER_STD)


def make_sample(seed: int, subject_id: int, label: int, repetition: int,
                subject: Subject, frame_range: Tuple[int, int],
                two_person_prob: float) -> Dict:
    """One annotation: a subject (and, sometimes, a partner doing the same
    action next to them) seen from a random camera.

    Args:
        seed (int): Data set seed.
        subject_id (int): The subject's number (``P`` in ``frame_dir``).
        label (int): Action index.
        repetition (int): Repetition number (``R``).
        subject (Subject): The subject.
        frame_range (tuple[int, int]): Inclusive range of sequence lengths.
        two_person_prob (float): Probability of a partner.

    Returns:
        dict: ``frame_dir``, ``label``, ``total_frames``, ``keypoint``.
    """
    rng = np.random.default_rng([seed, subject_id, label, repetition])
    num_frames = int(rng.integers(frame_range[0], frame_range[1] + 1))
    persons = [perform(rng, subject, label, num_frames)]
    if rng.random() < two_person_prob:
        partner = sample_subject(rng)
        side = rng.uniform(*PAIR_DISTANCE) / 2 * np.array([1., 0., 0.])
        persons = [persons[0] + side,
                   perform(rng, partner, label, num_frames) - side]
    keypoint = camera_transform(rng, np.stack(persons))
    return dict(
        frame_dir=f'S001C000P{subject_id:03d}R{repetition:03d}'
        f'A{label + 1:03d}',
        label=label,
        total_frames=num_frames,
        keypoint=keypoint.astype(np.float32))


def split_subjects(seed: int, num_subjects: int,
                   num_val_subjects: int) -> Tuple[List[int], List[int]]:
    """Subject numbers (1-based) of the training and validation splits.

    Args:
        seed (int): Data set seed.
        num_subjects (int): Subjects in all.
        num_val_subjects (int): Subjects held out for ``xsub_val``.

    Returns:
        tuple[list[int], list[int]]: Training and validation subjects.
    """
    if not 0 < num_val_subjects < num_subjects:
        raise ValueError(f'num_val_subjects must be in [1, num_subjects - 1]'
                         f' = [1, {num_subjects - 1}], got {num_val_subjects}')
    order = np.random.default_rng([seed, 0]).permutation(num_subjects) + 1
    val = sorted(int(s) for s in order[:num_val_subjects])
    return sorted(set(range(1, num_subjects + 1)) - set(val)), val


def make_dataset(seed: int = 0,
                 num_classes: int = len(ACTIONS),
                 num_subjects: int = 40,
                 num_val_subjects: int = 10,
                 num_repetitions: int = 5,
                 num_val_repetitions: int = 20,
                 frame_range: Sequence[int] = (40, 64),
                 two_person_prob: float = .3) -> Dict:
    """Every subject performs every action ``num_repetitions`` times
    (``num_val_repetitions`` times for the subjects of ``xsub_val``).

    The test split is the larger one so that KNN accuracy is measured
    precisely: two encoders trained with different seeds disagree on about
    40% of the test sequences, which on 600 of them leaves a difference of
    their accuracies a standard error of 2.5 points; 2,400 halve it. The
    training split, and every training sequence, do not depend on
    ``num_val_repetitions``.

    Args:
        seed (int): Seed of everything. Defaults to 0.
        num_classes (int): Use the first N actions. Defaults to all (12).
        num_subjects (int): Subjects in all. Defaults to 40.
        num_val_subjects (int): Subjects of ``xsub_val``. Defaults to 10.
        num_repetitions (int): Performances per subject and action.
            Defaults to 5.
        num_val_repetitions (int): Performances per ``xsub_val`` subject
            and action. Defaults to 20.
        frame_range (Sequence[int]): Inclusive range of sequence lengths.
            Defaults to (40, 64).
        two_person_prob (float): Probability that a partner does the action
            too. Defaults to 0.3.

    Returns:
        dict: The annotation dict (``split`` and ``annotations``).
    """
    if not 1 <= num_classes <= len(ACTIONS):
        raise ValueError(f'num_classes must be in [1, {len(ACTIONS)}], '
                         f'got {num_classes}')
    if not 2 <= frame_range[0] <= frame_range[1]:
        raise ValueError(f'frame_range must be (min, max) with 2 <= min <= '
                         f'max, got {tuple(frame_range)}')
    if num_repetitions < 1 or num_val_repetitions < 1:
        raise ValueError('num_repetitions and num_val_repetitions must be '
                         f'>= 1, got {num_repetitions} and '
                         f'{num_val_repetitions}')
    train, val = split_subjects(seed, num_subjects, num_val_subjects)
    annotations, split = [], dict(xsub_train=[], xsub_val=[])
    for subject_id in range(1, num_subjects + 1):
        subject = sample_subject(np.random.default_rng([seed, subject_id]))
        name = 'xsub_val' if subject_id in val else 'xsub_train'
        repetitions = (num_val_repetitions
                       if name == 'xsub_val' else num_repetitions)
        for label in range(num_classes):
            for repetition in range(1, repetitions + 1):
                sample = make_sample(seed, subject_id, label, repetition,
                                     subject, tuple(frame_range),
                                     two_person_prob)
                annotations.append(sample)
                split[name].append(sample['frame_dir'])
    return dict(split=split, annotations=annotations)
