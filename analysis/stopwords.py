"""French stop words, compared without accents and case (answers typed on phones often
drop accents: "a" for "à", "etre" for "être")."""

from __future__ import annotations

import unicodedata


def fold_word(word: str) -> str:
    """Lower case without accents: the key under which spellings of one word are merged."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return text.split()


_FRENCH = _words(
    """
a à afin ai aie aient aies ait alors as au aucun aucune auquel aura aurai auraient aurais
aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels avaient
avais avait avant avec avez aviez avions avoir avons ayant ayez ayons
bah beaucoup bien bon
c ça car ce ceci cela celle celles celui cependant certain certaine certaines certains ces cet
cette ceux chacun chacune chaque chez ci comme comment
d dans de des donc dont du
elle elles en encore entre es est et étaient étais était étant été êtes étiez étions être eu
eue eues eûmes eurent eus eusse eussent eusses eussiez eussions eut eût eûtes eux
fait faire fais faut fûmes furent fus fusse fussent fusses fussiez fussions fut fût fûtes
hors ici il ils
j je jusqu jusque
l la là le les leur leurs lui
m ma mais me même mêmes mes moi moins mon
n ne ni non nos notre nous
ô on ont ou où oui
par parce pas peu peut plus pour pourquoi puis qu quand que quel quelle quelles quels qui quoi
s sa sans se sera serai seraient serais serait seras serez seriez serions serons seront ses si
sien sienne soi soient sois soit sommes son sont sous soyez soyons suis sur
t ta te tes toi ton tous tout toute toutes très tu
un une unes uns
v va vais vas vers voilà vont vos votre vous vu
y
"""
)

# Folded, so that a stop word matches however its accents were typed.
FRENCH_STOP_WORDS: frozenset[str] = frozenset(fold_word(w) for w in _FRENCH)
