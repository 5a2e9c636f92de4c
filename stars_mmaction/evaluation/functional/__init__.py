from .confusion import (confusion_matrix, load_class_names,
                        write_confusion_matrix)
from .few_shot import (episode_rng, few_shot_accuracies,
                       nearest_support_accuracy, sample_episode)
from .knn import check_neighbour_counts, knn_predict

__all__ = [
    'check_neighbour_counts', 'confusion_matrix', 'episode_rng',
    'few_shot_accuracies', 'knn_predict', 'load_class_names',
    'nearest_support_accuracy', 'sample_episode', 'write_confusion_matrix'
]
