/**
 * Energy, memory and area budgets: the public entry points of src/energy
 * (technology tables, pricing of counter snapshots, memory and area reports, the
 * budget estimate and the run-folder energy report).
 */
export { loadTechTable, parseTechTable, resolveTechFile, techValue } from './tech-table';
export type { TechTable } from './tech-table';
export { TECH_ENTRIES } from './tech-schema';
export { energyChip, energyChipOf, packetBitsFor } from './chip-view';
export type { EnergyChip } from './chip-view';
export { eventPrices, PRICE_RULES, ENERGY_COMPONENTS, sramReadPJ, sramWritePJ, routerFlitPJ } from './event-prices';
export type { EnergyComponent, PriceVector } from './event-prices';
export { energyReport, priceCounts, totalCounts } from './energy-report';
export type { EnergyOptions, EnergyReport } from './energy-report';
export { memoryReport, checkMemoryFits, storageOptionsOf } from './memory';
export type { MemoryReport } from './memory';
export { areaReport } from './area';
export type { AreaReport } from './area';
export { CHIP_ONLY } from './storage';
export type { StorageOptions } from './storage';
export { budget, BUDGET_METHOD } from './budget';
export type { BudgetInput, BudgetReport } from './budget';
export { energyReportForRun, prepareRunEnergy, subtractCounters, writeRunEnergy, formatRunEnergy, ENERGY_FILE } from './run-report';
export { formatEnergyReport, formatMemoryReport, formatAreaReport } from './format';
