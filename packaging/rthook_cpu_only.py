"""PyInstaller run-time hook of the CPU-only Linux build: hide the GPUs before anything looks.

The Linux build leaves out the CUDA libraries that only GPU computation loads (cuDNN's
engines, cuSOLVER, NVRTC…; see subtitle-studio.spec). On a computer with an NVIDIA GPU,
torch and CTranslate2 would still see the GPU, pick it for "auto", and fail at the first
convolution. An empty ``CUDA_VISIBLE_DEVICES`` makes both report no GPU, so "auto" means
the CPU and ``--device cuda`` is refused up front with the usual message. A value the
user set explicitly is left alone.
"""

import os

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
