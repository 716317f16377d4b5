"""The words synthetic papers are made of: topics, tasks, methods, names, venues."""

from __future__ import annotations


def phrases(text: str) -> tuple[str, ...]:
    """A word list written as comma-separated text, to keep the lists short on the page."""
    return tuple(" ".join(item.split()) for item in text.split(",") if item.strip())


TOPICS = phrases(
    """Video Anomaly Detection, Video Understanding, Vision Language Model,
    Multimodal Large Language Model, Open-Vocabulary Segmentation, Diffusion Models,
    3D Gaussian Splatting, Embodied Agents, Retrieval-Augmented Generation,
    Medical Image Segmentation, Autonomous Driving, Test-Time Adaptation"""
)
TASKS = phrases(
    """video anomaly detection, semantic segmentation, visual question answering,
    open-vocabulary object detection, 3D scene reconstruction, text-to-image generation,
    image captioning, action recognition, monocular depth estimation, multi-object tracking,
    point cloud registration, medical image segmentation, retrieval-augmented generation,
    instruction tuning, speech recognition, robot manipulation, domain adaptation,
    few-shot classification, long video understanding, visual grounding, novel view synthesis,
    human pose estimation, image restoration, mathematical reasoning, federated learning,
    continual learning, time series forecasting, autonomous driving"""
)
METHODS = phrases(
    """diffusion model, vision transformer, state space model, mixture of experts,
    contrastive learning framework, graph neural network, large language model,
    vision-language model, neural radiance field, Gaussian splatting pipeline,
    masked autoencoder, reinforcement learning agent, knowledge distillation scheme,
    prompt learning method, token pruning strategy, low-rank adapter, memory-augmented network,
    query-based decoder, reward model, multimodal large language model"""
)
ADJECTIVES = phrases(
    """efficient, robust, scalable, training-free, self-supervised, zero-shot, lightweight,
    unified, hierarchical, uncertainty-aware, temporally consistent, interpretable,
    data-efficient, adaptive, generalizable, multi-scale, open-world, fine-grained, causal,
    sparse"""
)
TECHNIQUES = phrases(
    """cross-modal attention, curriculum learning, test-time adaptation,
    chain-of-thought prompting, optimal transport, contrastive alignment,
    spatio-temporal reasoning, dynamic token merging, preference optimization, synthetic data,
    hard negative mining, frequency-domain filtering, latent space regularization"""
)
PROPERTIES = phrases("robustness, efficiency, generalization, scalability, reliability")
SETTINGS = phrases(
    """real-world deployments, long-tailed scenarios, resource-constrained devices,
    open-set conditions, safety-critical applications"""
)
LIMITATIONS = phrases(
    """rely on large amounts of densely annotated data, ignore the temporal structure of the
    input, suffer from hallucinations under distribution shift, scale quadratically with the
    sequence length, treat each modality in isolation, require expensive per-scene
    optimization"""
)
DATASETS = phrases(
    """ImageNet-1K, COCO, ADE20K, Kinetics-400, UCF-Crime, ShanghaiTech, XD-Violence, nuScenes,
    ScanNet, MMBench, VQAv2, GQA, LibriSpeech, Something-Something V2, Ego4D, MSR-VTT, RefCOCO,
    KITTI, Cityscapes, MVBench, Video Q&A"""
)
METRICS = phrases("mIoU, AUC, top-1 accuracy, mAP, FID, F1 score, PSNR, success rate")
NAME_HEADS = phrases(
    "Vi, Seg, Flow, Omni, Deep, Mono, Hyper, Uni, Any, Meta, Sparse, Dyna, Pixel, Video, Geo, "
    "Lang, Trans, Chrono"
)
NAME_TAILS = phrases(
    "Former, Net, GPT, Diff, Mamba, CLIP, Seg, Track, Gen, Fusion, Agent, LoRA, Align, Mix, "
    "Bench, R1"
)
# LaTeX as arXiv abstracts carry it, unrendered.
LATEX_ABSTRACT = (
    r"Our method runs in $\mathcal{O}(n \log n)$ time instead of $\mathcal{O}(n^2)$.",
    r"We prove a regret bound of $\tilde{O}(\sqrt{T})$ under mild assumptions.",
    r"The learned features are \textit{provably} invariant to $\ell_2$-bounded perturbations.",
    r"This yields a $3.2\times$ speed-up with less than $1\%$ accuracy loss.",
    r"We minimise $\mathbb{E}_{x \sim p}[\| f_\theta(x) - y \|_2^2]$ with a \emph{single} step.",
    r"Attention maps $A \in \mathbb{R}^{N \times N}$ are approximated at rank $r \ll N$.",
)
LATEX_TITLE = (r"in $\mathcal{O}(n)$ Time", r"with $\ell_1$ Sparsity", r"at $10\times$ Less Cost")
FIRST_NAMES = phrases(
    """Wei, Yu, Jing, Xiaoming, Hao, Li, Priya, Arjun, Rahul, Ananya, Sofia, Lukas, Marie, Jonas,
    Elena, Giulia, Mateo, Camila, James, Emily, Michael, Sarah, David, Olivia, Hiroshi, Yuki,
    Min-jun, Seo-yeon, Ahmed, Fatima, Omar, Aylin, Mehmet, Ivan, Olga, Kwame, Amara, Thanh,
    Linh, Pedro, José, Zoë, François"""
)
LAST_NAMES = phrases(
    """Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Sharma, Patel, Gupta, Iyer,
    Müller, Schmidt, Dubois, Rossi, García, Fernández, Smith, Johnson, Brown, Williams, Tanaka,
    Suzuki, Kim, Park, Hassan, Khan, Öztürk, Ivanov, Kuznetsova, Mensah, Okafor, Nguyen, Tran,
    Silva, Santos, O'Brien, van der Berg"""
)
INSTITUTIONS = phrases(
    """Tsinghua University, Stanford University, ETH Zurich, University of Oxford,
    Max Planck Institute for Informatics, KAIST, Google DeepMind, Meta AI, IIT Bombay,
    University of Toronto"""
)
VENUES = phrases("CVPR, ICCV, ECCV, NeurIPS, ICLR, ICML, AAAI, ACL, EMNLP, WACV")
