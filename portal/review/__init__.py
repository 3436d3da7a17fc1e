"""The guides' side: the queue, the case, decisions and the money they commit."""
