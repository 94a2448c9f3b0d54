"""Video handling without Django: ffmpeg pipes, probing, shot detection, synthetic clips."""
