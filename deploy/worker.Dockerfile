# syntax=docker/dockerfile:1
# The model worker and retraining: Ray (head or worker node), `hangul-ml worker`, `hangul-ml
# retrain`, with PyTorch and ONNX Runtime on CUDA. The same image runs the Ray head and the GPU
# workers, in compose and under KubeRay.
# Build from the repository root:  docker build -f deploy/worker.Dockerfile -t hangul-tutor/worker .
#
# Base: Debian's python:3.11, not a CUDA image. The CUDA and cuDNN libraries come as wheels with
# torch and onnxruntime-gpu (a CUDA base would carry a second copy); the GPU driver comes from the
# NVIDIA container runtime. Debian also has every font package deploy/setup.sh installs.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# The @fontsource handwriting fonts that deploy/setup.sh fetches with npm (its NPM_FONTS list),
# for synthetic training letters.
FROM node:22-bookworm-slim AS npm-fonts
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
COPY deploy/setup.sh /tmp/setup.sh
WORKDIR /tmp/packs
RUN eval "$(sed -n '/^NPM_FONTS=(/,/)/p' /tmp/setup.sh)" \
 && mkdir /fonts \
 && for font in "${NPM_FONTS[@]}"; do \
      name=${font%@*}; \
      npm pack --silent "@fontsource/$font" >/dev/null; \
      tar -xzf fontsource-"$name"-*.tgz "package/files/$name-korean-400-normal.woff"; \
      mv "package/files/$name-korean-400-normal.woff" /fonts/; \
    done

FROM ${PYTHON_IMAGE}
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
# Debian's Korean fonts: deploy/setup.sh's FONT_PACKAGES list, read from the script so the two
# never drift. wget: KubeRay's default health probes run it inside Ray pods.
COPY deploy/setup.sh /tmp/setup.sh
RUN eval "$(sed -n '/^FONT_PACKAGES=(/,/)/p' /tmp/setup.sh)" \
 && apt-get update \
 && apt-get install -y --no-install-recommends "${FONT_PACKAGES[@]}" wget \
 && rm -rf /var/lib/apt/lists/* /tmp/setup.sh
COPY --from=npm-fonts /fonts /usr/local/share/fonts/hangul-tutor

# PyTorch's CUDA wheels (CUDA 13 needs an NVIDIA driver >= 580; for an older driver use the
# cu128 index and an onnxruntime-gpu built for CUDA 12, see ONNX Runtime's CUDA EP table).
ARG TORCH_INDEX=https://download.pytorch.org/whl/cu130
# Must equal rayVersion in deploy/k8s/rayservice.yaml: every node of a cluster runs one Ray.
ARG RAY_VERSION=2.60.0
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv \
 && pip install --no-cache-dir --index-url "$TORCH_INDEX" torch torchvision
COPY pyproject.toml README.md /src/
COPY ml /src/ml
COPY bot /src/bot
COPY storage /src/storage
# onnxruntime-gpu replaces the CPU onnxruntime that the package depends on (both install the
# `onnxruntime` module, so the CPU one goes first); its cuda/cudnn extras bring the libraries.
RUN pip install --no-cache-dir "/src[train,worker]" "ray[serve]==${RAY_VERSION}" \
 && pip uninstall -y onnxruntime \
 && pip install --no-cache-dir "onnxruntime-gpu[cuda,cudnn]>=1.18,<2" \
 && rm -rf /src
# ONNX Runtime's CUDA provider dlopens libcudnn/libcublas by name: make the wheels' copies
# (site-packages/nvidia/...) visible to the dynamic loader.
RUN find /opt/venv/lib/python3.11/site-packages/nvidia -name 'lib*.so*' -printf '%h\n' \
      | sort -u > /etc/ld.so.conf.d/nvidia-wheels.conf \
 && ldconfig

# One uid for the bot and the worker images: both write the shared model registry.
RUN useradd --system --uid 10001 --user-group --home-dir /home/hangul --create-home hangul \
 && install -d -o hangul -g hangul /var/lib/hangul/models
ENV PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    HANGUL_MODEL_REGISTRY=/var/lib/hangul/models
USER hangul
WORKDIR /home/hangul
# 8000: Ray Serve HTTP. Ray's own ports (6379 GCS, 8265 dashboard and jobs, 10001 client) must
# stay on a private network: see deploy/OPERATIONS.md.
EXPOSE 8000
# Compose and KubeRay give their own commands (ray start ...); this runs a one-machine worker.
CMD ["hangul-ml", "worker", "--host", "0.0.0.0", "--port", "8000"]
