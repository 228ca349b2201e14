"""The warning classes knnor raises, so that callers can filter them by class."""


class KNNORWarning(UserWarning):
    """A sampler made fewer synthetic rows than were requested.

    Raised when the attempt budget runs out before a class (or a bump of rare
    targets) reaches its target, usually because the reliability filter rejects
    most candidates; the accepted rows are returned and ``class_stats_`` (or
    ``bump_stats_``) says how many. A subclass of ``UserWarning``, so existing
    filters keep working, and narrow enough to silence on its own::

        warnings.filterwarnings("ignore", category=knnor.KNNORWarning)
    """
