"""Two-process gloo run of the NNCLR head and the memory bank on CPU."""
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F

WORLD, B, C, H, K, TEMP = 2, 3, 4, 8, 10, 0.1


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def make_head():
    from stars_mmaction.models.heads import NNCLRHead
    torch.manual_seed(0)  # same weights and same initial bank on each rank
    # the full symmetric gradient: both terms go through the gathered
    # predictions ('reference' detaches view 1's)
    head = NNCLRHead(in_channels=C,
                     hidden_channels=H,
                     bank_size=K,
                     temperature=TEMP,
                     loss_form='symmetric')
    return head.train()


def rank_inputs(rank):
    g = torch.Generator().manual_seed(100 + rank)  # ranks feed different data
    feats = torch.randn(B, 2, C, generator=g)
    ids = list(range(10 * rank, 10 * rank + B))
    return feats, ids


def samples(ids):
    from mmaction.structures import ActionDataSample
    out = []
    for idx in ids:
        ds = ActionDataSample()
        ds.set_metainfo(dict(sample_idx=idx))
        out.append(ds)
    return out


class TinyModel(torch.nn.Module):
    """Real encoder + NNCLR head, the whole loss inside ``forward``, as the
    recognizer computes it under DDP."""

    def __init__(self):
        super().__init__()
        from stars_mmaction.models.backbones import MAMPEncoder
        from stars_mmaction.models.heads import NNCLRHead
        self.backbone = MAMPEncoder(embed_dims=8,
                                    depth=4,
                                    num_heads=2,
                                    num_frames=8,
                                    num_joints=5,
                                    tune_ratio=0.5)
        self.backbone.init_weights()
        self.head = NNCLRHead(in_channels=8, hidden_channels=16, bank_size=32)

    def forward(self, x, data_samples):
        feats = self.backbone(x).mean(dim=(1, 3, 4))  # (N, D)
        return self.head.loss(feats[:, None], data_samples)


def ddp_steps(rank):
    """Build the optimizer after the DDP wrap (the runner's order) and train
    two steps with half of the encoder frozen (by the encoder, at build)."""
    from mmengine.model import MMDistributedDataParallel
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = TinyModel()
    ddp = MMDistributedDataParallel(model)
    optim_wrapper = build_optim_wrapper(
        ddp,
        dict(constructor='LayerDecayOptimWrapperConstructor',
             optimizer=dict(type='AdamW',
                            lr=1e-3,
                            betas=(0.9, 0.95),
                            weight_decay=0.01),
             paramwise_cfg=dict(layer_decay_rate=0.45)))
    tuned = [g['param_name'] for g in optim_wrapper.optimizer.param_groups]
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    g = torch.Generator().manual_seed(7 + rank)
    for step in range(2):
        x = torch.randn(2, 1, 8, 5, 3, generator=g)
        ids = [100 * step + 2 * rank + i for i in range(2)]
        optim_wrapper.backward(ddp(x, samples(ids))['loss_nnclr'])
        with_grad = [
            n for n, p in model.named_parameters() if p.grad is not None
        ]
        optim_wrapper.step()
        optim_wrapper.zero_grad()
    return dict(tuned=tuned,
                changed=[
                    n for n, p in model.named_parameters()
                    if not torch.equal(p.detach(), before[n])
                ],
                with_grad=with_grad,
                params={
                    n: p.detach().clone()
                    for n, p in model.named_parameters()
                })


def worker(rank, port, out_dir):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=WORLD)
    try:
        head = make_head()
        feats, ids = rank_inputs(rank)
        out = head.loss(feats, samples(ids))
        out['loss_nnclr'].backward()
        grads = {n: p.grad.clone() for n, p in head.named_parameters()}
        for g in grads.values():  # what DDP does: average over ranks
            dist.all_reduce(g)
            g /= WORLD
        torch.save(
            dict(loss=out['loss_nnclr'].detach(),
                 bank=head.memory_bank.state_dict(),
                 grads=grads,
                 ddp=ddp_steps(rank)), os.path.join(out_dir, f'rank{rank}.pt'))
    finally:
        dist.destroy_process_group()


def hand_losses():
    """Single process: each rank's loss on the global batch, written out."""
    head = make_head()
    bank0 = head.memory_bank.bank.clone()
    zs, ps = [[], []], [[], []]
    for rank in range(WORLD):
        feats, _ = rank_inputs(rank)
        for v in range(2):  # BN statistics are per rank and per view
            z = head.projector(feats[:, v])
            p = head.predictor(z)
            zs[v].append(F.normalize(z, dim=1))
            ps[v].append(F.normalize(p, dim=1))
    p_all = [torch.cat(ps[v]) for v in range(2)]  # gathered predictions

    def term(nn_feat, p_global, rank):
        logits = nn_feat @ p_global.T / TEMP
        labels = torch.arange(rank * B, rank * B + B)  # global positions
        log_prob = logits - logits.logsumexp(dim=1, keepdim=True)
        return -log_prob[torch.arange(B), labels].mean()

    losses = []
    for rank in range(WORLD):
        nn0 = bank0[(zs[0][rank].detach() @ bank0.T).argmax(1)]
        nn1 = bank0[(zs[1][rank].detach() @ bank0.T).argmax(1)]
        losses.append(0.5 *
                      (term(nn0, p_all[1], rank) + term(nn1, p_all[0], rank)))
    mean_loss = sum(losses) / WORLD
    mean_loss.backward()
    grads = {n: p.grad for n, p in head.named_parameters()}
    z0_global = torch.cat(zs[0]).detach()
    return [x.detach() for x in losses], grads, z0_global


def test_two_process_gloo(tmp_path):
    mp.start_processes(worker,
                       args=(free_port(), str(tmp_path)),
                       nprocs=WORLD,
                       join=True,
                       start_method='spawn')
    results = [torch.load(tmp_path / f'rank{r}.pt') for r in range(WORLD)]
    losses, grads, z0_global = hand_losses()
    all_ids = torch.tensor(rank_inputs(0)[1] + rank_inputs(1)[1])
    for rank, res in enumerate(results):
        # the loss of each rank is over the global batch
        torch.testing.assert_close(res['loss'], losses[rank])
        # the bank got both ranks' view-0 projections, in rank order
        bank = res['bank']
        torch.testing.assert_close(bank['bank'][:WORLD * B], z0_global)
        assert torch.equal(bank['sample_idx'][:WORLD * B], all_ids)
        assert (bank['sample_idx'][WORLD * B:] == -1).all()
        assert int(bank['ptr']) == WORLD * B
        # gradients through the gathered predictions: DDP-averaged grads
        # equal those of the mean global loss
        for name, g in grads.items():
            torch.testing.assert_close(res['grads'][name],
                                       g,
                                       rtol=1e-3,
                                       atol=1e-6)
    assert not torch.equal(results[0]['loss'], results[1]['loss'])
    assert torch.equal(results[0]['bank']['bank'], results[1]['bank']['bank'])
    # DDP + LayerDecayOptimWrapperConstructor: exactly the tuned parameters
    # change, frozen ones get no gradient, the ranks stay in sync
    ddp0, ddp1 = results[0]['ddp'], results[1]['ddp']
    tuned = set(ddp0['tuned'])
    assert 'backbone.blocks.2.attn.qkv.weight' in tuned
    assert 'backbone.blocks.1.attn.qkv.weight' not in tuned
    assert 'backbone.pos_embed' not in tuned
    for res in (ddp0, ddp1):
        # the projector's BN bias has a zero gradient in exact arithmetic
        # (the predictor's BN removes any shift): whether AdamW moves it
        # depends on rounding noise
        bias = {'head.projector.0.bias'}
        assert set(res['changed']) - bias == tuned - bias
        assert set(res['with_grad']) == tuned
    for name, value in ddp0['params'].items():
        torch.testing.assert_close(ddp1['params'][name], value)
