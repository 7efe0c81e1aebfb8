"""Work that runs as its own process or on a Ray cluster: the model worker (Ray Serve), the
retrain job and its runner, and Ray's job API.

May import all of ``ml``; Ray and torch only where a job runs."""
