from .catalogue import (
    CourseIndexPage,
    FamilyType,
    LessonPage,
    ModuleKind,
    ModulePage,
    Theme,
)
from .progress import KnowledgeCheckAnswer, LessonProgress

__all__ = [
    "CourseIndexPage",
    "FamilyType",
    "KnowledgeCheckAnswer",
    "LessonPage",
    "LessonProgress",
    "ModuleKind",
    "ModulePage",
    "Theme",
]
