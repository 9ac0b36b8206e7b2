import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import type {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  type PermissionRule,
} from '@backstage/plugin-permission-node';

type EntityRule = PermissionRule<Entity, unknown, 'catalog-entity', any>;

/** The catalog's built-in rules, by name (`IS_ENTITY_OWNER`, `HAS_SPEC`, ...). */
const catalogRules = new Map<string, EntityRule>(
  Object.values(permissionRules).map(rule => [rule.name, rule as EntityRule]),
);

/**
 * Evaluates the conditions of a conditional `catalog.entity.read` decision
 * against an entity the plugin holds in memory, with the catalog's own
 * permission rules.
 *
 * A condition the catalog's built-in rules cannot evaluate (a custom rule
 * of the catalog, or parameters the rule fails on) is unknown, not false:
 * `not` of unknown stays unknown, `anyOf` is true only when a known branch
 * is true, `allOf` is false when a known branch is false. An entity whose
 * answer stays unknown is not shown, and each such rule is logged once, so
 * a policy that relies on it is visible rather than silently narrowed.
 */
export class CatalogReadConditions {
  private readonly warned = new Set<string>();

  constructor(private readonly logger?: LoggerService) {}

  /** Whether the conditions allow reading `entity`. */
  allows(
    entity: Entity,
    criteria: PermissionCriteria<PermissionCondition<string>>,
  ): boolean {
    return this.evaluate(entity, criteria) === true;
  }

  private evaluate(
    entity: Entity,
    criteria: PermissionCriteria<PermissionCondition<string>>,
  ): boolean | undefined {
    if (isAndCriteria(criteria)) {
      let result: boolean | undefined = true;
      for (const child of criteria.allOf) {
        const value = this.evaluate(entity, child);
        if (value === false) {
          return false;
        }
        if (value === undefined) {
          result = undefined;
        }
      }
      return result;
    }
    if (isOrCriteria(criteria)) {
      let result: boolean | undefined = false;
      for (const child of criteria.anyOf) {
        const value = this.evaluate(entity, child);
        if (value === true) {
          return true;
        }
        if (value === undefined) {
          result = undefined;
        }
      }
      return result;
    }
    if (isNotCriteria(criteria)) {
      const value = this.evaluate(entity, criteria.not);
      return value === undefined ? undefined : !value;
    }
    return this.applyRule(entity, criteria);
  }

  private applyRule(
    entity: Entity,
    condition: PermissionCondition<string>,
  ): boolean | undefined {
    const rule = catalogRules.get(condition.rule);
    if (!rule) {
      this.warnOnce(
        condition.rule,
        `The catalog permission rule ${condition.rule} is not one of the catalog's built-in rules; the model marketplace hides models that only it would allow`,
      );
      return undefined;
    }
    try {
      return rule.apply(entity, condition.params ?? {});
    } catch (error) {
      this.warnOnce(
        `${condition.rule}:failed`,
        `The catalog permission rule ${condition.rule} failed on its parameters (${error}); the model marketplace treats it as unknown`,
      );
      return undefined;
    }
  }

  private warnOnce(key: string, message: string) {
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.logger?.warn(message);
    }
  }
}
