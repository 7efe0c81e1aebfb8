# syntax=docker/dockerfile:1
# The chat bot: `hangul-bot run` (Telegram and/or Discord, reminders). No torch: the bot
# classifies with ONNX Runtime on the CPU, or through the model worker (HANGUL_WORKER_URL).
# Build from the repository root:  docker build -f deploy/bot.Dockerfile -t hangul-tutor/bot .
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY pyproject.toml README.md /src/
COPY ml /src/ml
COPY bot /src/bot
COPY storage /src/storage
RUN /opt/venv/bin/pip install --no-cache-dir /src

FROM python:3.11-slim-bookworm
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
# fonts-nanum: Hangul labels in the /stats chart. deploy/setup.sh's SPEECH_PACKAGES (espeak-ng):
# the letters' sounds in lessons, read from the script so the two never drift.
COPY deploy/setup.sh /tmp/setup.sh
RUN eval "$(sed -n '/^SPEECH_PACKAGES=(/,/)/p' /tmp/setup.sh)" \
 && apt-get update \
 && apt-get install -y --no-install-recommends fonts-nanum fontconfig "${SPEECH_PACKAGES[@]}" \
 && rm -rf /var/lib/apt/lists/* /tmp/setup.sh
# One uid for the bot and the worker images: both write the shared model registry.
RUN useradd --system --uid 10001 --user-group --home-dir /home/hangul --create-home hangul \
 && install -d -o hangul -g hangul /var/lib/hangul/models
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    HANGUL_MODEL_REGISTRY=/var/lib/hangul/models \
    HANGUL_SOUND_CACHE=/tmp/hangul-sounds
USER hangul
WORKDIR /home/hangul
# 8443: Telegram webhook mode only (TELEGRAM_WEBHOOK_PORT); polling and Discord listen on nothing.
EXPOSE 8443
# No HEALTHCHECK: the bot serves no health endpoint. Kubernetes probes the webhook port instead.
ENTRYPOINT ["hangul-bot"]
CMD ["run"]
