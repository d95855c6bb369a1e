"""Customers (hospitals), medical groups and people with their roles."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.store.base import Base


class MedicalGroup(Base):
    """A 医联体: its member hospitals are related parties for rebate purposes."""

    __tablename__ = "medical_groups"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(
        String(32)
    )  # rep, manager, marketing, medical_affairs, legal_compliance
    team: Mapped[str] = mapped_column(
        String(32)
    )  # sales, marketing, medical_affairs, legal_compliance, manager
    province: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"), default=None)
    email: Mapped[str | None] = mapped_column(String(128), default=None)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    province: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    city: Mapped[str] = mapped_column(String(64))
    tier: Mapped[str] = mapped_column(String(16))  # 三甲 / 三乙 / 二级
    medical_group_id: Mapped[str | None] = mapped_column(ForeignKey("medical_groups.id"), default=None)
    rep_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None, index=True)
    aliases: Mapped[list[str]] = mapped_column(default=list)
