"""Oversight's demo step: each subject's demo data (called by `sunshine seed_demo`)."""
from sunshine.core.demo import DemoContext, register_demo_step


@register_demo_step("oversight", order=50)
def seed(ctx: DemoContext) -> None:
    from .demo_i13b import seed_i13b

    ctx.write(f"  oversight registers (i13b): {seed_i13b(ctx)}")
