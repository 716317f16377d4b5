"""TeX written to break the converter or the page: links and styles, raw markup, sizes and
nestings that would stall it. The converter tests and the reading site use each of them
inside each kind of math delimiter."""

from __future__ import annotations

HOSTILE_TEX = [
    r"\href{javascript:alert(1)}{click}",
    r"\url{javascript:alert(1)}",
    r"\style{color:red;background:url(x)}{x}",
    r"\class{evil}{x}",
    r"\cssId{evil}{x}",
    r"\htmlClass{evil}{x}",
    r"\htmlId{evil}{x}",
    r"\htmlStyle{color:red}{x}",
    r"\htmlData{onclick=alert(1)}{x}",
    r"\unicode{x3C}script\unicode{x3E}",
    r"\text{<script>alert(1)</script>}",
    r"\mathrm{<img src=x onerror=alert(1)>}",
    r"x</math><script>alert(1)</script><math>",
    r"\rule{100000cm}{100000cm}",
    r"\hspace{100000cm}x",
    r"\kern100000em x",
    r"\mspace{100000mu}",
    r"\color{red}{x}",
    r"\textcolor{red}{x}",
    r"\colorbox{red}{x}",
    r"\textsc{small caps}",
    r"\newcommand{\a}{\a\a}\a",
    r"\def\a{\a\a}\a",
    "x^{" * 200 + "1" + "}" * 200,
    r"\sqrt{" * 100 + "x" + "}" * 100,
    r"\frac{" * 60 + "1}{2}" * 60,
    r"\begin{array}{c}" + r"x\\" * 3000 + r"\end{array}",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>&a;",
    "&lt;script&gt;",
    "\\text{\u202eevil}",
]
# (opening, closing) of each way arXiv authors write a formula.
TEX_DELIMITERS = [("$", "$"), ("$$", "$$"), ("\\(", "\\)"), ("\\[", "\\]")]
