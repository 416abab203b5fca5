"""The fixed text of an exported training script; export_script.py fills it in.

Kept as plain source text so it reads like the script it becomes. Every block here
mirrors a piece of nnstudio (named in its comment) closely enough that, with the same
seed on the CPU, the script starts from the same weights, sees the same batches in the
same order and reports the same first-epoch loss as the app.
"""

from __future__ import annotations

import json
from typing import Any

HEADER = '''\
#!/usr/bin/env python3
"""{title}: a PyTorch training script exported by nnstudio {version}.

Standalone: it needs {needs}, never nnstudio.

    python {file}                  # train (on the GPU if there is one)
    python {file} --epochs 5 --device cpu

Several processes (DistributedDataParallel; gloo on the CPU, nccl on GPUs):

    torchrun --nproc_per_node=4 {file}

With the same seed on the CPU it starts from the same weights as nnstudio and its
first-epoch training loss matches nnstudio's. The weights are saved with nnstudio's
layer names, so File > Import Weights… (or `nnstudio import-weights`) reads them back.
"""

from __future__ import annotations

'''

SETTINGS = """\
# --- settings, as configured in nnstudio -------------------------------------------
SEED = {seed}  # initial weights, batch order and dropout
EPOCHS = {epochs}
BATCH_SIZE = {batch_size}
LEARNING_RATE = {lr!r}
WEIGHTS_FILE = {weights_file}
"""

# uint8 images scaled and normalized per batch, as nnstudio's Data.inputs does
MODEL_INPUT = '''\
def model_input(x: torch.Tensor, mean, std) -> torch.Tensor:
    """uint8 images -> floats in [0, 1], minus the mean, over the std (per channel);
    int64 token ids stay as they are (an Embedding looks them up)."""
    if x.dtype == torch.int64:
        return x
    if x.dtype != torch.uint8:
        return x.float()
    shape = (1, -1, 1, 1)
    mean = torch.tensor(mean, dtype=torch.float32, device=x.device).view(shape)
    std = torch.tensor(std, dtype=torch.float32, device=x.device).view(shape)
    return (x.float() / 255.0 - mean) / std
'''

DATA_COMMON = '''\
class Data(NamedTuple):
    """The whole dataset in memory, as nnstudio keeps it.

    Images stay uint8 and are scaled and normalized per batch by `model_input`;
    tables are float32, already standardized with the training statistics.
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    mean: float | tuple[float, ...] = 0.0
    std: float | tuple[float, ...] = 1.0


''' + MODEL_INPUT + '''

def split_indices(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded 80/20 shuffle split into training and validation indices."""
    order = np.random.default_rng(seed).permutation(count)
    n_val = min(count - 1, max(1, round(count * 0.2)))
    return order[n_val:], order[:n_val]
'''

DATA_NUMPY_FREE = '''\
class Data(NamedTuple):
    """The whole dataset in memory, as nnstudio keeps it (images stay uint8 and are
    scaled and normalized per batch by `model_input`)."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    mean: float | tuple[float, ...] = 0.0
    std: float | tuple[float, ...] = 1.0


''' + MODEL_INPUT

TABULAR = '''\
def table(x, y, seed: int, task: str, scale_targets: bool = False) -> Data:
    """Split 80/20 and standardize each column with the training part's mean/std."""
    x = np.asarray(x, dtype=np.float64)
    train, val = split_indices(len(x), seed)
    mean, std = x[train].mean(axis=0), x[train].std(axis=0)
    std = np.where(std > 1e-12, std, 1.0)  # a constant column stays as it is
    x_train = torch.from_numpy(((x[train] - mean) / std).astype(np.float32))
    x_val = torch.from_numpy(((x[val] - mean) / std).astype(np.float32))
    y_train, y_val = targets(y[train], task), targets(y[val], task)
    if scale_targets and task == "regression":  # targets in the hundreds: scale too
        y_mean = y_train.mean(dim=0)
        y_std = y_train.std(dim=0, unbiased=False).clamp_min(1e-12)
        y_train, y_val = (y_train - y_mean) / y_std, (y_val - y_mean) / y_std
    return Data(x_train, y_train, x_val, y_val)


def targets(y, task: str) -> torch.Tensor:
    """Class numbers (int64), or rows of numbers to predict (float32)."""
    if task == "classification":
        return torch.from_numpy(np.asarray(y, dtype=np.int64))
    y = np.asarray(y, dtype=np.float32)
    return torch.from_numpy(y.reshape(len(y), -1).copy())
'''

IMAGES = '''\
def image_stats(images: torch.Tensor):
    """Per-channel mean and std of uint8 images scaled to [0, 1] (from histograms)."""
    levels = torch.arange(256, dtype=torch.float64) / 255.0
    means, stds = [], []
    for c in range(images.shape[1]):
        hist = torch.bincount(images[:, c].reshape(-1), minlength=256).double()
        p = hist / hist.sum()
        mean = float((p * levels).sum())
        var = float((p * (levels - mean) ** 2).sum())
        means.append(mean)
        stds.append(max(var**0.5, 1e-6))
    if len(means) == 1:
        return means[0], stds[0]
    return tuple(means), tuple(stds)


def image_data(x_train, y_train, x_val, y_val) -> Data:
    """uint8 images N x C x H x W and int64 labels; statistics of the training part."""
    mean, std = image_stats(x_train)
    return Data(x_train.contiguous(), y_train.long(), x_val.contiguous(), y_val.long(),
                mean, std)
'''

SPLIT_IMAGES = '''\
def split_images(images: torch.Tensor, labels: torch.Tensor, seed: int) -> Data:
    """One image set split 80/20 with the seed."""
    train, val = (torch.from_numpy(i) for i in split_indices(len(images), seed))
    return image_data(images[train], labels[train], images[val], labels[val])
'''

LIMIT = '''\
def limit(data: Data, size: int, seed: int) -> Data:
    """A seeded subset: `size` training samples and a quarter as many to validate."""
    if size >= len(data.x_train):
        return data
    gen = torch.Generator().manual_seed(seed)
    train = torch.randperm(len(data.x_train), generator=gen)[:size]
    val = torch.randperm(len(data.x_val), generator=gen)[: max(1, size // 4)]
    return data._replace(x_train=data.x_train[train], y_train=data.y_train[train],
                         x_val=data.x_val[val], y_val=data.y_val[val])
'''

ONE_HOT = '''\
def loss_targets(y: torch.Tensor) -> torch.Tensor:
    """{loss} wants rows of 0/1 numbers, not class numbers."""
    if OUTPUTS == 1:
        return y.float().unsqueeze(1)
    return nn.functional.one_hot(y, OUTPUTS).float()
'''

NO_ONE_HOT = '''\
def loss_targets(y: torch.Tensor) -> torch.Tensor:
    """The targets as the loss takes them (here: unchanged)."""
    return y
'''

SAMPLER = '''\
class EpochShuffle(Sampler):
    """A new random order every epoch from one seeded generator (as nnstudio's
    trainer draws it), so the same seed gives the same batches."""

    def __init__(self, size: int, seed: int, used: int | None = None) -> None:
        self.size = size
        self.used = size if used is None else used
        self.generator = torch.Generator().manual_seed(seed)

    def __iter__(self):
        order = torch.randperm(self.size, generator=self.generator)
        return iter(order[: self.used].tolist())

    def __len__(self) -> int:
        return self.used
'''

TRAIN = '''\
def train_one_epoch(model, loader, loss_fn, optimizer, data: Data, device):
    """One pass over the training data; returns (sum of losses, samples)."""
    model.train()
{params}    loss_sum, count = 0.0, 0
    for x, target in loader:
        x, target = model_input(x.to(device), data.mean, data.std), target.to(device)
        loss = loss_fn(model(x), target)
{penalty}        optimizer.zero_grad(set_to_none=True)
        {backward}.backward()
{clip}        optimizer.step()
        loss_sum += loss.item() * len(x)
        count += len(x)
    return loss_sum, count


@torch.no_grad()
def test(model, loader, loss_fn, data: Data, device) -> tuple[float, float]:
    """Mean loss and {quality_name} on the test data, in evaluation mode."""
    model.eval()
    loss_sum, quality, count = 0.0, 0.0, 0
    for x, target, y in loader:
        x, target, y = x.to(device), target.to(device), y.to(device)
        out = model(model_input(x, data.mean, data.std))
        loss_sum += loss_fn(out, target).item() * len(x)
        quality += {quality_expr}
        count += len(x)
{quality_result}
'''

ACCURACY = (
    "accuracy",
    "(predict(out) == y).sum().item()",
    "    return loss_sum / count, quality / count\n",
)
R2 = (
    "R² (1 = perfect)",
    "(out.float() - y).pow(2).sum().item()",
    "    total = (data.y_val.float() - data.y_val.float().mean(dim=0)).pow(2).sum()\n"
    "    if float(total) < 1e-12:  # all test targets equal: R² says nothing\n"
    '        return loss_sum / count, float("nan")\n'
    "    return loss_sum / count, 1.0 - quality / float(total)\n",
)

PREDICT = '''\
def predict(out: torch.Tensor) -> torch.Tensor:
    """The class of each row: the largest output, or output > 0 for one output."""
    return out.argmax(1) if out.shape[1] > 1 else (out[:, 0] > 0).long()
'''

MAIN = """\
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available()
                        else "cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--save", default=WEIGHTS_FILE, help="weights file to write")
{data_args}    args = parser.parse_args()

    # torchrun starts one process per GPU (or CPU worker) and sets WORLD_SIZE/RANK
    distributed = "WORLD_SIZE" in os.environ
    device, rank = torch.device(args.device), 0
    if distributed:
        rank, local_rank = int(os.environ["RANK"]), int(os.environ["LOCAL_RANK"])
        if device.type == "cuda":
            device = torch.device("cuda", local_rank)
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")

    if distributed and rank != 0:
        dist.barrier()  # let rank 0 download/read the data first
    data = load_data(args)
    if distributed and rank == 0:
        dist.barrier()

    # the same seed, then the layers in the same order: nnstudio's initial weights;
    # seeding again afterwards matches nnstudio, which builds from a copy of the RNG
    torch.manual_seed(args.seed)
    model = Net()
    torch.manual_seed(args.seed)
    model.to(device)
    net = model  # the plain model: for testing and saving
    if distributed:
        model = DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None)

    train_set = TensorDataset(data.x_train, loss_targets(data.y_train))
    test_set = TensorDataset(data.x_val, loss_targets(data.y_val), data.y_val)
{used_line}    if distributed:
        sampler = DistributedSampler(train_set, seed=args.seed)
    else:
        sampler = EpochShuffle(len(train_set), args.seed{used_arg})
    # generator=...: each pass over a loader draws a seed for worker processes; take
    # it from a generator of its own (both loaders, or the test pass shifts the next
    # epoch's dropout), so the global RNG (dropout) stays as nnstudio's
    train_loader = DataLoader(train_set, batch_size=args.batch_size, sampler=sampler,
                              generator=torch.Generator())
    test_loader = DataLoader(test_set, batch_size=2048, generator=torch.Generator())

    loss_fn = {loss_fn}
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = {optimizer}
{scheduler}
    for epoch in range(1, args.epochs + 1):
        if distributed:
            sampler.set_epoch(epoch)
        loss_sum, count = train_one_epoch(model, train_loader, loss_fn, optimizer,
                                          data, device)
        if distributed:  # the mean over every process's samples
            totals = torch.tensor([loss_sum, count], dtype=torch.float64, device=device)
            dist.all_reduce(totals)
            loss_sum, count = totals.tolist()
        if rank == 0:
            test_loss, quality = test(net, test_loader, loss_fn, data, device)
            train_loss = loss_sum / count
            print(f"epoch {{epoch}}/{{args.epochs}}  train loss {{train_loss:.8f}}  "
                  f"test loss {{test_loss:.6f}}  {report}")
{scheduler_step}
    if rank == 0:
        torch.save(net.state_dict(), args.save)
        print(f"saved the weights to {{args.save}}")
    if distributed:
        dist.barrier()  # leave together: gloo can abort a rank that tears down early
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
"""

ACCURACY_REPORT = "test accuracy {100 * quality:.2f}%"
R2_REPORT = "test R² {quality:.4f}"

IDX = '''\
def read_idx(path: Path, reader) -> torch.Tensor:
    """One IDX file, read by torchvision; a .gz file is unpacked to a temp folder."""
    if path.suffix != ".gz":
        return reader(str(path))
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / path.stem
        with gzip.open(path, "rb") as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst)
        return reader(str(plain))


def read_pairs(folder: Path, pairs) -> tuple[torch.Tensor, torch.Tensor]:
    """Images (N x 1 x H x W, uint8) and labels from (images, labels) file pairs."""
    images = [read_idx(folder / i, read_image_file).unsqueeze(1) for i, _ in pairs]
    labels = [read_idx(folder / lbl, read_label_file) for _, lbl in pairs]
    return torch.cat(images), torch.cat(labels)
'''

CIFAR = '''\
RECORD = 1 + 3 * 32 * 32  # one label byte, then the red, green and blue planes
TRAIN_BATCH = re.compile(r"^data_batch_\\d+\\.bin$")
TEST_BATCH = "test_batch.bin"


def records(raw: bytes) -> tuple[torch.Tensor, torch.Tensor]:
    """Images (N x 3 x 32 x 32 uint8) and labels from one binary batch."""
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(-1, RECORD)
    labels = torch.from_numpy(rows[:, 0].astype(np.int64))
    images = torch.from_numpy(rows[:, 1:].reshape(-1, 3, 32, 32).copy())
    return images, labels


def read_batches(path: Path) -> dict[str, bytes]:
    """Batch name -> bytes, from a folder of .bin files or the .tar.gz archive."""
    def wanted(name: str) -> bool:
        return bool(TRAIN_BATCH.match(name)) or name == TEST_BATCH

    if path.is_dir():
        files = sorted(p for p in path.iterdir() if wanted(p.name))
        return {p.name: p.read_bytes() for p in files}
    with tarfile.open(path, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        return {Path(m.name).name: tar.extractfile(m).read()
                for m in members if wanted(Path(m.name).name)}
'''

FOLDER = '''\
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
# Raster formats only: Pillow hands EPS/PostScript to Ghostscript, which runs it.
IMAGE_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP")


def read_folder(folder: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """Every image of every class folder, in name order, as MODE at IMAGE_SIZE."""
    images, labels = [], []
    for label, name in enumerate(CLASSES):
        files = sorted(f for f in (folder / name).iterdir()
                       if f.suffix.lower() in IMAGE_SUFFIXES)
        for path in files:
            with Image.open(path, formats=IMAGE_FORMATS) as image:
                image = eight_bit(ImageOps.exif_transpose(image)).convert(MODE)
                if image.size != IMAGE_SIZE:
                    image = image.resize(IMAGE_SIZE, Image.Resampling.BILINEAR)
                images.append(np.asarray(image, dtype=np.uint8))
            labels.append(label)
    x = np.stack(images)
    x = x[:, None] if MODE == "L" else x.transpose(0, 3, 1, 2)
    return torch.from_numpy(x), torch.tensor(labels, dtype=torch.int64)


def eight_bit(image: Image.Image) -> Image.Image:
    """8-bit "L" or "RGB" as nnstudio reads it: 16-bit gray scaled (not clipped),
    transparent pixels on paper that contrasts with the ink."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        a = np.asarray(image)
        if a.dtype.kind == "f":  # fractions 0-1, else levels 0-255
            a = np.nan_to_num(a.astype(np.float64))
            scale = 255.0 if a.size and float(a.max()) <= 1.0 else 1.0
            gray = np.clip(np.round(a * scale), 0, 255).astype(np.uint8)
        else:  # the 16-bit scale, 0-65535
            gray = (np.clip(a, 0, 65535).astype(np.uint16) >> 8).astype(np.uint8)
        return Image.fromarray(gray, "L")
    alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa")
    if alpha or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = 255 if ink_is_dark(rgba) else 0  # white under dark ink, else black
        sheet = Image.new("RGBA", rgba.size, (paper, paper, paper, 255))
        return Image.alpha_composite(sheet, rgba).convert("RGB")
    return image.convert("L" if image.mode in ("1", "L") else "RGB")


def ink_is_dark(rgba: Image.Image) -> bool:
    """Opaque pixels darker than mid-grey on average (judged on a 128 px copy)."""
    small = rgba.copy()
    small.thumbnail((128, 128))
    a = np.asarray(small, dtype=np.float64) / 255.0
    weight = a[..., 3]
    if float(weight.sum()) <= 0:
        return True
    lum = a[..., :3] @ np.array([0.299, 0.587, 0.114])
    return float((lum * weight).sum() / weight.sum()) < 0.5
'''

CSV = '''\
def read_csv(path: str) -> tuple[list[list[float]], list[str]]:
    """Feature rows and label texts of every non-blank row (the header skipped)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, delimiter=DELIMITER, quotechar=QUOTECHAR)
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    if HEADER:
        rows = rows[1:]
    x = [[float(c) for i, c in enumerate(row) if i != LABEL_COLUMN] for row in rows]
    return x, [row[LABEL_COLUMN].strip() for row in rows]
'''


def py_literal(value: Any, indent: str = "") -> str:
    """Python source for a constant: double-quoted strings, long lists one per line."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple | list):
        items = [py_literal(v) for v in value]
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
        one = ", ".join(items) + ("," if len(items) == 1 and close == ")" else "")
        if len(one) <= 60:
            return f"{open_}{one}{close}"
        inner = "".join(f"{indent}    {item},\n" for item in items)
        return f"{open_}\n{inner}{indent}{close}"
    return repr(value)
