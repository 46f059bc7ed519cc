"""Proposal makers, one module per kind of evidence, each registered by name
in `registry` (a function of one `ProposalContext` returning `Proposal`s).

The imports below register the built-in proposers; their order is the order
they run. A new proposer: one module with an `@proposer("name")` function,
and one import line here.
"""

from repair.proposers import registry  # noqa: F401  (first: the others register into it)
from repair.proposers import cleanup, grammar_fixes, quotes, phrases, entities, wording, sentences, copies, numbers, coverage  # noqa: F401,I001
from repair.proposers import tenses, concepts, paraphrase, consistency  # noqa: F401,I001  (comparable references, issue 11)
from repair.proposers import out_of_place  # noqa: F401,I001  (last: language-model word flags, issue 20)
